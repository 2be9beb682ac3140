//! Types and constants of `libnetfilter_conntrack_sctp.h`: SCTP conntrack
//! states (ATTR_SCTP_STATE).

/// SCTP conntrack states.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum sctp_state {
    SCTP_CONNTRACK_NONE = 0,
    SCTP_CONNTRACK_CLOSED = 1,
    SCTP_CONNTRACK_COOKIE_WAIT = 2,
    SCTP_CONNTRACK_COOKIE_ECHOED = 3,
    SCTP_CONNTRACK_ESTABLISHED = 4,
    SCTP_CONNTRACK_SHUTDOWN_SENT = 5,
    SCTP_CONNTRACK_SHUTDOWN_RECD = 6,
    SCTP_CONNTRACK_SHUTDOWN_ACK_SENT = 7,
    SCTP_CONNTRACK_HEARTBEAT_SENT = 8,
    SCTP_CONNTRACK_HEARTBEAT_ACKED = 9,
    SCTP_CONNTRACK_MAX = 10,
}
