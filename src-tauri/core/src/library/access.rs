//! How code that works across the network reaches the library.
//!
//! A refresh, an import or a save waits on the network between its writes;
//! holding the library all that time would stop the window reading it. The
//! work asks for the library only around each step instead, through this
//! trait: the command line hands the library itself, the app a handle that
//! locks its writer connection for the step.

use super::Library;
use crate::Result;

/// Runs one step of work with the library (see the module's doc).
pub trait LibraryAccess {
    fn with<T>(&mut self, work: impl FnOnce(&mut Library) -> Result<T>) -> Result<T>;
}

impl LibraryAccess for Library {
    fn with<T>(&mut self, work: impl FnOnce(&mut Library) -> Result<T>) -> Result<T> {
        work(self)
    }
}
