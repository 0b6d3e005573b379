//! Integration tests: one test crate (faster to build than many), a module per area.
//! Most drive the real binary through `util::Cmd`; some call the library directly.

mod integration;
