//! Types and constants of `libnetfilter_conntrack_icmp.h`: the obsolete
//! ICMP flag bits.

/// Obsolete ICMP flag bits; do not use in new programs.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum icmp_flags {
    ICMP_TYPE = 1 << 0,
    ICMP_CODE = 1 << 1,
    ICMP_ID = 1 << 2,
}

/// Bit numbers of the enum icmp_flags values.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum icmp_flags_bits {
    ICMP_TYPE_BIT = 0,
    ICMP_CODE_BIT = 1,
    ICMP_ID_BIT = 2,
}
