//! Types and constants of `linux_nf_conntrack_common.h`: connection
//! states, status bits, event types and expectation flags, as the kernel's
//! uapi header <linux/netfilter/nf_conntrack_common.h> defines them for
//! userspace (upstream ships a copy under this name).

use std::ffi::c_int;

/// State of a packet relative to its connection.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ip_conntrack_info {
    /// Part of an established connection.
    IP_CT_ESTABLISHED = 0,
    /// Related to an existing connection (or an ICMP error about it).
    IP_CT_RELATED = 1,
    /// Starts a new connection.
    IP_CT_NEW = 2,
    /// Values from here on are in the reply direction.
    IP_CT_IS_REPLY = 3,
    /// IP_CT_RELATED in the reply direction.
    IP_CT_RELATED_REPLY = 4,
    /// Number of states.
    IP_CT_NUMBER = 5,
}

/// IP_CT_ESTABLISHED in the reply direction: IP_CT_ESTABLISHED +
/// IP_CT_IS_REPLY, which is the value of IP_CT_IS_REPLY itself.
pub const IP_CT_ESTABLISHED_REPLY: ip_conntrack_info = ip_conntrack_info::IP_CT_IS_REPLY;
/// Alias of IP_CT_NUMBER, kept for userspace.
pub const IP_CT_NEW_REPLY: ip_conntrack_info = ip_conntrack_info::IP_CT_NUMBER;

/// Conntrack state bit of an invalid packet.
pub const NF_CT_STATE_INVALID_BIT: c_int = 1 << 0;
/// Conntrack state bit of an untracked packet.
pub const NF_CT_STATE_UNTRACKED_BIT: c_int = 1 << 6;

/// Status bits of a connection (ATTR_STATUS).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ip_conntrack_status {
    /// An expected connection.
    IPS_EXPECTED = 1 << 0,
    /// Packets were seen in both directions.
    IPS_SEEN_REPLY = 1 << 1,
    /// Must not be early-expired.
    IPS_ASSURED = 1 << 2,
    /// The first packet has left the box.
    IPS_CONFIRMED = 1 << 3,
    /// Source NAT in the original direction.
    IPS_SRC_NAT = 1 << 4,
    /// Destination NAT in the original direction.
    IPS_DST_NAT = 1 << 5,
    /// IPS_SRC_NAT and IPS_DST_NAT.
    IPS_NAT_MASK = (1 << 5) | (1 << 4),
    /// TCP sequence numbers need adjusting.
    IPS_SEQ_ADJUST = 1 << 6,
    /// Source NAT is set up.
    IPS_SRC_NAT_DONE = 1 << 7,
    /// Destination NAT is set up.
    IPS_DST_NAT_DONE = 1 << 8,
    /// IPS_SRC_NAT_DONE and IPS_DST_NAT_DONE.
    IPS_NAT_DONE_MASK = (1 << 8) | (1 << 7),
    /// Being removed.
    IPS_DYING = 1 << 9,
    /// The timeout is fixed.
    IPS_FIXED_TIMEOUT = 1 << 10,
    /// A template.
    IPS_TEMPLATE = 1 << 11,
    /// Untracked (obsolete).
    IPS_UNTRACKED = 1 << 12,
    /// A helper was attached by the CT target.
    IPS_HELPER = 1 << 13,
    /// Offloaded to a flow table.
    IPS_OFFLOAD = 1 << 14,
    /// Offloaded to hardware.
    IPS_HW_OFFLOAD = 1 << 15,
    /// The bits userspace cannot change.
    IPS_UNCHANGEABLE_MASK = 56313,
}

/// Bit numbers of the enum ip_conntrack_status flags; __IPS_MAX_BIT counts them.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ip_conntrack_status_bits {
    IPS_EXPECTED_BIT = 0,
    IPS_SEEN_REPLY_BIT = 1,
    IPS_ASSURED_BIT = 2,
    IPS_CONFIRMED_BIT = 3,
    IPS_SRC_NAT_BIT = 4,
    IPS_DST_NAT_BIT = 5,
    IPS_SEQ_ADJUST_BIT = 6,
    IPS_SRC_NAT_DONE_BIT = 7,
    IPS_DST_NAT_DONE_BIT = 8,
    IPS_DYING_BIT = 9,
    IPS_FIXED_TIMEOUT_BIT = 10,
    IPS_TEMPLATE_BIT = 11,
    IPS_UNTRACKED_BIT = 12,
    IPS_HELPER_BIT = 13,
    IPS_OFFLOAD_BIT = 14,
    IPS_HW_OFFLOAD_BIT = 15,
    __IPS_MAX_BIT = 16,
}

/// Conntrack event types.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ip_conntrack_events {
    IPCT_NEW = 0,
    IPCT_RELATED = 1,
    IPCT_DESTROY = 2,
    IPCT_REPLY = 3,
    IPCT_ASSURED = 4,
    IPCT_PROTOINFO = 5,
    IPCT_HELPER = 6,
    IPCT_MARK = 7,
    IPCT_SEQADJ = 8,
    IPCT_SECMARK = 9,
    IPCT_LABEL = 10,
    IPCT_SYNPROXY = 11,
}

/// Alias of IPCT_SEQADJ.
pub const IPCT_NATSEQADJ: ip_conntrack_events = ip_conntrack_events::IPCT_SEQADJ;

/// Expectation event types.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ip_conntrack_expect_events {
    IPEXP_NEW = 0,
    IPEXP_DESTROY = 1,
}

/// Expectation flag: survives its first use.
pub const NF_CT_EXPECT_PERMANENT: c_int = 0x1;
/// Expectation flag: not yet active.
pub const NF_CT_EXPECT_INACTIVE: c_int = 0x2;
/// Expectation flag: created from userspace.
pub const NF_CT_EXPECT_USERSPACE: c_int = 0x4;
