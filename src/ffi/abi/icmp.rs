//! Types and constants of `libnetfilter_conntrack_icmp.h`: the obsolete
//! ICMP flag bits.

use std::ffi::c_int;

/// Obsolete ICMP flag bits; do not use in new programs.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum icmp_flags {
    ICMP_TYPE = 1 << 0,
    ICMP_CODE = 1 << 1,
    ICMP_ID = 1 << 2,
}

/// Bit number of ICMP_TYPE.
pub const ICMP_TYPE_BIT: c_int = 0;
/// Bit number of ICMP_CODE.
pub const ICMP_CODE_BIT: c_int = 1;
/// Bit number of ICMP_ID.
pub const ICMP_ID_BIT: c_int = 2;
