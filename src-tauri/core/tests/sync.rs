//! Sync between libraries through a folder: the convergence property test
//! and the hard cases (clocks hours apart, damaged and newer files, a crash
//! in the middle, two devices at once, joining and merging).

#[path = "sync/helpers.rs"]
mod helpers;

#[path = "sync/cases.rs"]
mod cases;

#[path = "sync/convergence.rs"]
mod convergence;
