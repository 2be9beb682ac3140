//! Types and constants of `libnetfilter_conntrack_tcp.h`: TCP conntrack
//! states (ATTR_TCP_STATE) and the obsolete TCP flag bits.

/// TCP conntrack states.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum tcp_state {
    TCP_CONNTRACK_NONE = 0,
    TCP_CONNTRACK_SYN_SENT = 1,
    TCP_CONNTRACK_SYN_RECV = 2,
    TCP_CONNTRACK_ESTABLISHED = 3,
    TCP_CONNTRACK_FIN_WAIT = 4,
    TCP_CONNTRACK_CLOSE_WAIT = 5,
    TCP_CONNTRACK_LAST_ACK = 6,
    TCP_CONNTRACK_TIME_WAIT = 7,
    TCP_CONNTRACK_CLOSE = 8,
    /// Obsolete; the kernel reuses the value as TCP_CONNTRACK_SYN_SENT2.
    TCP_CONNTRACK_LISTEN = 9,
    TCP_CONNTRACK_MAX = 10,
    TCP_CONNTRACK_IGNORE = 11,
}

/// SYN sent in both directions (simultaneous open).
pub const TCP_CONNTRACK_SYN_SENT2: tcp_state = tcp_state::TCP_CONNTRACK_LISTEN;

/// Obsolete TCP flag bits; do not use in new programs.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum tcp_flags {
    TCP_ORIG_SPORT = 1 << 0,
    TCP_ORIG_DPORT = 1 << 1,
    TCP_REPL_SPORT = 1 << 2,
    TCP_REPL_DPORT = 1 << 3,
    TCP_MASK_SPORT = 1 << 4,
    TCP_MASK_DPORT = 1 << 5,
    TCP_STATE = 1 << 6,
    TCP_EXPTUPLE_SPORT = 1 << 7,
    TCP_EXPTUPLE_DPORT = 1 << 8,
}

/// Bit numbers of the enum tcp_flags values.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum tcp_flags_bits {
    TCP_ORIG_SPORT_BIT = 0,
    TCP_ORIG_DPORT_BIT = 1,
    TCP_REPL_SPORT_BIT = 2,
    TCP_REPL_DPORT_BIT = 3,
    TCP_MASK_SPORT_BIT = 4,
    TCP_MASK_DPORT_BIT = 5,
    TCP_STATE_BIT = 6,
    TCP_EXPTUPLE_SPORT_BIT = 7,
    TCP_EXPTUPLE_DPORT_BIT = 8,
}
