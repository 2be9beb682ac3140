//! `libnetfilter_conntrack_ipv6.h`: obsolete and empty; including it only
//! warns (build.rs adds the `#warning`, which cbindgen cannot express).
