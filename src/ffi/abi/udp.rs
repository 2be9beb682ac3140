//! Types and constants of `libnetfilter_conntrack_udp.h`: the obsolete UDP
//! flag bits.

/// Obsolete UDP flag bits; do not use in new programs.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum udp_flags {
    UDP_ORIG_SPORT = 1 << 0,
    UDP_ORIG_DPORT = 1 << 1,
    UDP_REPL_SPORT = 1 << 2,
    UDP_REPL_DPORT = 1 << 3,
    UDP_MASK_SPORT = 1 << 4,
    UDP_MASK_DPORT = 1 << 5,
    UDP_EXPTUPLE_SPORT = 1 << 6,
    UDP_EXPTUPLE_DPORT = 1 << 7,
}

/// Bit numbers of the enum udp_flags values.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum udp_flags_bits {
    UDP_ORIG_SPORT_BIT = 0,
    UDP_ORIG_DPORT_BIT = 1,
    UDP_REPL_SPORT_BIT = 2,
    UDP_REPL_DPORT_BIT = 3,
    UDP_MASK_SPORT_BIT = 4,
    UDP_MASK_DPORT_BIT = 5,
    UDP_EXPTUPLE_SPORT_BIT = 6,
    UDP_EXPTUPLE_DPORT_BIT = 7,
}
