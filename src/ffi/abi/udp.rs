//! Types and constants of `libnetfilter_conntrack_udp.h`: the obsolete UDP
//! flag bits.

use std::ffi::c_int;

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

/// Bit number of UDP_ORIG_SPORT.
pub const UDP_ORIG_SPORT_BIT: c_int = 0;
/// Bit number of UDP_ORIG_DPORT.
pub const UDP_ORIG_DPORT_BIT: c_int = 1;
/// Bit number of UDP_REPL_SPORT.
pub const UDP_REPL_SPORT_BIT: c_int = 2;
/// Bit number of UDP_REPL_DPORT.
pub const UDP_REPL_DPORT_BIT: c_int = 3;
/// Bit number of UDP_MASK_SPORT.
pub const UDP_MASK_SPORT_BIT: c_int = 4;
/// Bit number of UDP_MASK_DPORT.
pub const UDP_MASK_DPORT_BIT: c_int = 5;
/// Bit number of UDP_EXPTUPLE_SPORT.
pub const UDP_EXPTUPLE_SPORT_BIT: c_int = 6;
/// Bit number of UDP_EXPTUPLE_DPORT.
pub const UDP_EXPTUPLE_DPORT_BIT: c_int = 7;
