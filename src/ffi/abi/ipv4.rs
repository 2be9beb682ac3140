//! `libnetfilter_conntrack_ipv4.h`: obsolete and empty; including it only
//! warns (build.rs adds the `#warning`, which cbindgen cannot express).
