//! Shared by the fuzz targets: the safety oracle of the adversarial suite
//! (one statement of what stored HTML may contain, for both).

#[path = "../../src-tauri/core/tests/adversarial/oracle.rs"]
mod oracle;

pub use oracle::{assert_safe, violations};
