//! Tools a model may call, and which one it must: normalised from the forms users write
//! (`{name, description, schema}`, OpenAI's `{type: "function", function}`, Bedrock's
//! `{toolSpec}`, or any object with a name and a JSON Schema).

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::chat::input::cache_control_point;
use crate::quoted::Quoted;
use crate::Error;

/// One tool, or a cache checkpoint in the tool list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Tool {
    /// A function the model may call.
    ToolSpec(ToolSpec),
    /// A tool the service runs itself (`{name}`), passed through.
    SystemTool(Value),
    /// A prompt-cache checkpoint after the tools before it.
    CachePoint(Value),
}

/// A function's name, description and argument schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolSpec {
    /// `[a-zA-Z0-9_-]{1,64}`.
    pub name: String,
    /// What the tool does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The arguments' JSON Schema.
    pub input_schema: InputSchema,
    /// Whether the model must follow the schema exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
}

/// `{ json: <JSON Schema> }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputSchema {
    /// The schema.
    pub json: Value,
}

/// Which tool the model must call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolChoice {
    /// The model decides.
    Auto,
    /// Some tool.
    Any,
    /// This tool.
    Tool(String),
}

impl Serialize for ToolChoice {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        match self {
            ToolChoice::Auto => map.serialize_entry("auto", &Map::new())?,
            ToolChoice::Any => map.serialize_entry("any", &Map::new())?,
            ToolChoice::Tool(name) => {
                let mut inner = Map::new();
                inner.insert("name".into(), Value::String(name.clone()));
                map.serialize_entry("tool", &inner)?
            }
        }
        map.end()
    }
}

/// Normalises a list of tools; a `TypeError` names the bad entry.
pub fn normalize_tools(tools: &Value) -> Result<Vec<Tool>, Error> {
    let Value::Array(items) = tools else {
        return Err(Error::invalid_input("tools must be an array"));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        out.push(
            normalize_tool(item).map_err(|e| Error::invalid_input(format!("tools[{i}]: {e}")))?,
        );
        // An Anthropic-format tool may mark a cache breakpoint after itself.
        if let Some(point) = cache_control_point(item) {
            out.push(Tool::CachePoint(point));
        }
    }
    Ok(out)
}

fn normalize_tool(item: &Value) -> Result<Tool, String> {
    let obj = item.as_object().ok_or("a tool must be an object")?;
    if let Some(point) = obj.get("cachePoint") {
        return Ok(Tool::CachePoint(point.clone()));
    }
    if let Some(system) = obj.get("systemTool") {
        return Ok(Tool::SystemTool(system.clone()));
    }
    let (spec, schema_keys): (&Map<String, Value>, &[&str]) =
        if let Some(spec) = obj.get("toolSpec") {
            (
                spec.as_object().ok_or("toolSpec must be an object")?,
                &["inputSchema"],
            )
        } else if obj.get("type").and_then(Value::as_str) == Some("function") {
            (
                obj.get("function")
                    .and_then(Value::as_object)
                    .ok_or("a function tool needs a function object")?,
                &["parameters"],
            )
        } else {
            (
                obj,
                &["schema", "parameters", "input_schema", "inputSchema"],
            )
        };
    let name = spec
        .get("name")
        .and_then(Value::as_str)
        .ok_or("a tool needs a name")?;
    validate_tool_name(name)?;
    let schema = schema_keys
        .iter()
        .find_map(|k| spec.get(*k).filter(|v| !v.is_null()))
        .cloned()
        .unwrap_or_else(|| serde_json::json!({"type": "object", "properties": {}}));
    // Bedrock's own form wraps the schema in `{json}`.
    let schema = match schema {
        Value::Object(mut s) if schema_keys == ["inputSchema"] && s.contains_key("json") => {
            s.remove("json").unwrap_or(Value::Null)
        }
        other => other,
    };
    if !schema.is_object() {
        return Err(format!(
            "tool {name} needs a JSON Schema object",
            name = Quoted(name)
        ));
    }
    if schema.get("_def").is_some() || schema.get("_zod").is_some() {
        return Err(format!(
            "tool {name} has a Zod schema; pass its JSON Schema (z.toJSONSchema) instead",
            name = Quoted(name)
        ));
    }
    let description = spec
        .get("description")
        .and_then(Value::as_str)
        .filter(|d| !d.is_empty())
        .map(str::to_string);
    Ok(Tool::ToolSpec(ToolSpec {
        name: name.to_string(),
        description,
        input_schema: InputSchema { json: schema },
        strict: spec.get("strict").and_then(Value::as_bool),
    }))
}

/// Tool names the service accepts: 1 to 64 of `a-z A-Z 0-9 _ -`.
pub fn validate_tool_name(name: &str) -> Result<(), String> {
    let ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "tool name {name} must be 1 to 64 letters, digits, '_' or '-'",
            name = Quoted(name)
        ))
    }
}

/// Reads `toolChoice`: `auto`, `any` (or `required`), or the name of one of `tools`.
pub fn tool_choice(choice: &str, tools: &[Tool]) -> Result<ToolChoice, Error> {
    match choice {
        "auto" => Ok(ToolChoice::Auto),
        "any" | "required" => Ok(ToolChoice::Any),
        name => {
            let known = tools
                .iter()
                .any(|t| matches!(t, Tool::ToolSpec(s) if s.name == name));
            if known {
                Ok(ToolChoice::Tool(name.to_string()))
            } else {
                Err(Error::invalid_input(format!(
                    "toolChoice {name} is not \"auto\", \"any\" or the name of a bound tool",
                    name = Quoted(name)
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_tool_form_becomes_a_tool_spec() {
        let schema = json!({"type": "object", "properties": {"city": {"type": "string"}}});
        let tools = normalize_tools(&json!([
            {"name": "a", "description": "A", "schema": schema},
            {"type": "function", "function": {"name": "b", "parameters": schema}},
            {"toolSpec": {"name": "c", "inputSchema": {"json": schema}, "strict": true}},
            {"name": "d", "input_schema": schema},
            {"cachePoint": {"type": "default"}},
            {"name": "e"},
        ]))
        .unwrap();
        let wire = serde_json::to_value(&tools).unwrap();
        assert_eq!(
            wire[0],
            json!({"toolSpec": {"name": "a", "description": "A", "inputSchema": {"json": schema}}})
        );
        assert_eq!(wire[1]["toolSpec"]["inputSchema"]["json"], schema);
        assert_eq!(wire[2]["toolSpec"]["strict"], json!(true));
        assert_eq!(wire[2]["toolSpec"]["inputSchema"]["json"], schema);
        assert_eq!(wire[3]["toolSpec"]["name"], json!("d"));
        assert_eq!(wire[4], json!({"cachePoint": {"type": "default"}}));
        assert_eq!(
            wire[5]["toolSpec"]["inputSchema"]["json"],
            json!({"type": "object", "properties": {}})
        );
    }

    #[test]
    fn tool_choice_forms() {
        let tools = normalize_tools(&json!([{"name": "w"}])).unwrap();
        let wire = |c: &str| serde_json::to_value(tool_choice(c, &tools).unwrap()).unwrap();
        assert_eq!(wire("auto"), json!({"auto": {}}));
        assert_eq!(wire("required"), json!({"any": {}}));
        assert_eq!(wire("w"), json!({"tool": {"name": "w"}}));
        assert!(tool_choice("nope", &tools).unwrap_err().is_invalid_input());
    }

    #[test]
    fn bad_tools_name_their_entry() {
        for (bad, needle) in [
            (json!({"schema": {}}), "needs a name"),
            (json!({"name": "has space"}), "must be 1 to 64"),
            (json!({"name": "x", "schema": 5}), "JSON Schema"),
            (json!({"name": "x", "schema": {"_def": {}}}), "Zod"),
            (json!(7), "must be an object"),
        ] {
            let err = normalize_tools(&json!([{"name": "ok"}, bad])).unwrap_err();
            assert!(err.is_invalid_input());
            assert!(
                err.message().starts_with("tools[1]: ") && err.message().contains(needle),
                "{err}"
            );
        }
    }
}
