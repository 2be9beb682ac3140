//! The text forms of `nfct_snprintf` and `nfexp_snprintf`.

pub mod buf;
pub mod default;
pub mod expect;
pub mod xml;
