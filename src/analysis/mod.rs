//! Methods of exploratory analysis, over plain slices of points and outputs: designs of
//! experiments ([`sampling`]) and, beside them, the estimators that read a design's results
//! (sensitivity indices, scenario discovery, value of information). Nothing here knows about
//! scenarios, the model or files: the exploration layer maps unit-cube coordinates onto
//! parameters, runs the model, and hands the outputs back here.

pub mod sampling;

pub use sampling::{full_factorial, latin_hypercube, morris, saltelli, Morris, Saltelli};
