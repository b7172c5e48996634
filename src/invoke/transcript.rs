//! A conversation as plain text turns, for the providers whose bodies take text only (Titan,
//! Llama, Mistral, Cohere, AI21). Any other block is a `TypeError` naming the message, the block
//! and the models, raised before anything is sent.

use crate::chat::input::{ChatMessage, ContentBlock, Role};
use crate::Error;

/// One turn: who speaks, and the text of their consecutive messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    /// [`Role::User`] or [`Role::Assistant`].
    pub role: Role,
    /// The text blocks of the turn's messages, joined by a line break (messages by a blank line).
    pub text: String,
}

/// A conversation as text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transcript {
    /// The system messages' text, joined by a blank line; `None` without any.
    pub system: Option<String>,
    /// The other messages, consecutive ones of one role merged.
    pub turns: Vec<Turn>,
}

impl Transcript {
    /// The text of `messages`; `label` names the models in errors ("Meta Llama models").
    pub fn of(messages: &[ChatMessage], label: &str) -> Result<Transcript, Error> {
        let mut system: Option<String> = None;
        let mut turns: Vec<Turn> = Vec::new();
        for (i, message) in messages.iter().enumerate() {
            let mut texts = Vec::new();
            for (j, block) in message.blocks.iter().enumerate() {
                match block {
                    ContentBlock::Text(text) => texts.push(text.as_str()),
                    other => {
                        return Err(Error::invalid_input(format!(
                            "messages[{i}].content[{j}]: {label} take text only, not {}",
                            kind(other)
                        )))
                    }
                }
            }
            if texts.is_empty() {
                continue;
            }
            let text = texts.join("\n");
            match (message.role, &mut system, turns.last_mut()) {
                (Role::System, Some(existing), _) => {
                    existing.push_str("\n\n");
                    existing.push_str(&text);
                }
                (Role::System, None, _) => system = Some(text),
                (role, _, Some(last)) if last.role == role => {
                    last.text.push_str("\n\n");
                    last.text.push_str(&text);
                }
                (role, _, _) => turns.push(Turn { role, text }),
            }
        }
        if !turns.iter().any(|t| t.role == Role::User) {
            return Err(Error::invalid_input(
                "messages need at least one human message with text",
            ));
        }
        Ok(Transcript { system, turns })
    }
}

impl Transcript {
    /// The turns as `USER: text` and `ASSISTANT: text` lines (`user` and `assistant` name the
    /// speakers), after the system text and a blank line; an open `ASSISTANT:` line follows a
    /// last user turn, a last assistant turn is left for the model to continue. Titan's prompt,
    /// and legacy Cohere's.
    pub fn dialogue(&self, user: &str, assistant: &str) -> String {
        let mut prompt = String::new();
        if let Some(system) = &self.system {
            prompt.push_str(system);
            prompt.push_str("\n\n");
        }
        for (i, turn) in self.turns.iter().enumerate() {
            if i > 0 {
                prompt.push('\n');
            }
            prompt.push_str(if turn.role == Role::User {
                user
            } else {
                assistant
            });
            prompt.push_str(": ");
            prompt.push_str(&turn.text);
        }
        if self.turns.last().is_some_and(|t| t.role == Role::User) {
            prompt.push('\n');
            prompt.push_str(assistant);
            prompt.push(':');
        }
        prompt
    }
}

fn kind(block: &ContentBlock) -> &'static str {
    match block {
        ContentBlock::Text(_) => "text",
        ContentBlock::Image(_) => "images",
        ContentBlock::Document(_) => "documents",
        ContentBlock::Video(_) => "video",
        ContentBlock::ToolUse(_) => "tool calls (bind tools on a model that has them)",
        ContentBlock::ToolResult(_) => "tool results",
        ContentBlock::ReasoningContent(_) => "reasoning blocks",
        ContentBlock::CachePoint(_) => "cache points",
        ContentBlock::GuardContent(_) => "guard content",
        ContentBlock::Native(_) => "Bedrock-native blocks",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::input::normalize_messages;
    use serde_json::json;

    #[test]
    fn turns_merge_and_other_blocks_are_type_errors() {
        let messages = normalize_messages(json!([
            ["system", "Be brief."],
            ["human", "Hi"],
            ["human", [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]],
            ["ai", "Hello"],
            ["system", "Use French."],
            ["human", "Bye"],
        ]))
        .unwrap();
        let t = Transcript::of(&messages, "Meta Llama models").unwrap();
        assert_eq!(t.system.as_deref(), Some("Be brief.\n\nUse French."));
        let turns: Vec<(Role, &str)> = t.turns.iter().map(|t| (t.role, t.text.as_str())).collect();
        assert_eq!(
            turns,
            [
                (Role::User, "Hi\n\na\nb"),
                (Role::Assistant, "Hello"),
                (Role::User, "Bye")
            ]
        );
        let images = normalize_messages(json!([["human", [
            {"type": "text", "text": "What is this?"},
            {"type": "image", "mimeType": "image/png", "data": "iVBORw0KGgo="}]]]))
        .unwrap();
        let err = Transcript::of(&images, "Meta Llama models").unwrap_err();
        assert!(err.is_invalid_input());
        assert_eq!(
            err.message(),
            "messages[0].content[1]: Meta Llama models take text only, not images"
        );
        let only_system = normalize_messages(json!([["system", "x"]])).unwrap();
        assert!(Transcript::of(&only_system, "Meta Llama models").is_err());
    }

    #[test]
    fn dialogues_open_the_answer_or_leave_the_last_answer_to_continue() {
        let transcript = |input: serde_json::Value| {
            Transcript::of(&normalize_messages(input).unwrap(), "models").unwrap()
        };
        let asked = transcript(json!([
            ["system", "Be brief."],
            ["human", "Hi"],
            ["ai", "Hello!"],
            ["human", "Bye"]
        ]));
        assert_eq!(
            asked.dialogue("User", "Bot"),
            "Be brief.\n\nUser: Hi\nBot: Hello!\nUser: Bye\nBot:"
        );
        let answering = transcript(json!([["human", "Hi"], ["ai", "Hel"]]));
        assert_eq!(
            answering.dialogue("User", "Chatbot"),
            "User: Hi\nChatbot: Hel"
        );
    }
}
