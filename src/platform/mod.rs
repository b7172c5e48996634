//! JS platform glue (placeholder).
