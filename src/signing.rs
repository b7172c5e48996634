//! SigV4 signing through `aws-sigv4` (placeholder).
