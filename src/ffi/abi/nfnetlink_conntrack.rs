//! Types and constants of `linux_nfnetlink_conntrack.h`: ctnetlink's
//! message types and attribute numbers, as the kernel's uapi header
//! <linux/netfilter/nfnetlink_conntrack.h> defines them (upstream ships a
//! copy under this name).
//!
//! The crate's own code uses the numbers in `crate::kernel`; these
//! definitions exist to write the header.

use std::ffi::c_int;

/// Conntrack message types of the ctnetlink subsystem.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum cntl_msg_types {
    IPCTNL_MSG_CT_NEW = 0,
    IPCTNL_MSG_CT_GET = 1,
    IPCTNL_MSG_CT_DELETE = 2,
    IPCTNL_MSG_CT_GET_CTRZERO = 3,
    IPCTNL_MSG_CT_GET_STATS_CPU = 4,
    IPCTNL_MSG_CT_GET_STATS = 5,
    IPCTNL_MSG_CT_GET_DYING = 6,
    IPCTNL_MSG_CT_GET_UNCONFIRMED = 7,
    IPCTNL_MSG_MAX = 8,
}

/// Expectation message types of the ctnetlink_exp subsystem.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctnl_exp_msg_types {
    IPCTNL_MSG_EXP_NEW = 0,
    IPCTNL_MSG_EXP_GET = 1,
    IPCTNL_MSG_EXP_DELETE = 2,
    IPCTNL_MSG_EXP_GET_STATS_CPU = 3,
    IPCTNL_MSG_EXP_MAX = 4,
}

/// Top-level attributes of a conntrack message.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_type {
    CTA_UNSPEC = 0,
    CTA_TUPLE_ORIG = 1,
    CTA_TUPLE_REPLY = 2,
    CTA_STATUS = 3,
    CTA_PROTOINFO = 4,
    CTA_HELP = 5,
    CTA_NAT_SRC = 6,
    CTA_TIMEOUT = 7,
    CTA_MARK = 8,
    CTA_COUNTERS_ORIG = 9,
    CTA_COUNTERS_REPLY = 10,
    CTA_USE = 11,
    CTA_ID = 12,
    CTA_NAT_DST = 13,
    CTA_TUPLE_MASTER = 14,
    CTA_SEQ_ADJ_ORIG = 15,
    CTA_SEQ_ADJ_REPLY = 16,
    CTA_SECMARK = 17,
    CTA_ZONE = 18,
    CTA_SECCTX = 19,
    CTA_TIMESTAMP = 20,
    CTA_MARK_MASK = 21,
    CTA_LABELS = 22,
    CTA_LABELS_MASK = 23,
    CTA_SYNPROXY = 24,
    CTA_FILTER = 25,
    CTA_STATUS_MASK = 26,
    CTA_TIMESTAMP_EVENT = 27,
    __CTA_MAX = 28,
}
/// Alias of CTA_NAT_SRC.
pub const CTA_NAT: ctattr_type = ctattr_type::CTA_NAT_SRC;
/// Alias of CTA_SEQ_ADJ_ORIG.
pub const CTA_NAT_SEQ_ADJ_ORIG: ctattr_type = ctattr_type::CTA_SEQ_ADJ_ORIG;
/// Alias of CTA_SEQ_ADJ_REPLY.
pub const CTA_NAT_SEQ_ADJ_REPLY: ctattr_type = ctattr_type::CTA_SEQ_ADJ_REPLY;
/// Highest value of enum ctattr_type.
pub const CTA_MAX: c_int = ctattr_type::__CTA_MAX as c_int - 1;

/// Attributes nested in a tuple.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_tuple {
    CTA_TUPLE_UNSPEC = 0,
    CTA_TUPLE_IP = 1,
    CTA_TUPLE_PROTO = 2,
    CTA_TUPLE_ZONE = 3,
    __CTA_TUPLE_MAX = 4,
}
/// Highest value of enum ctattr_tuple.
pub const CTA_TUPLE_MAX: c_int = ctattr_tuple::__CTA_TUPLE_MAX as c_int - 1;

/// Address attributes nested in CTA_TUPLE_IP.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_ip {
    CTA_IP_UNSPEC = 0,
    CTA_IP_V4_SRC = 1,
    CTA_IP_V4_DST = 2,
    CTA_IP_V6_SRC = 3,
    CTA_IP_V6_DST = 4,
    __CTA_IP_MAX = 5,
}
/// Highest value of enum ctattr_ip.
pub const CTA_IP_MAX: c_int = ctattr_ip::__CTA_IP_MAX as c_int - 1;

/// Layer-4 attributes nested in CTA_TUPLE_PROTO.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_l4proto {
    CTA_PROTO_UNSPEC = 0,
    CTA_PROTO_NUM = 1,
    CTA_PROTO_SRC_PORT = 2,
    CTA_PROTO_DST_PORT = 3,
    CTA_PROTO_ICMP_ID = 4,
    CTA_PROTO_ICMP_TYPE = 5,
    CTA_PROTO_ICMP_CODE = 6,
    CTA_PROTO_ICMPV6_ID = 7,
    CTA_PROTO_ICMPV6_TYPE = 8,
    CTA_PROTO_ICMPV6_CODE = 9,
    __CTA_PROTO_MAX = 10,
}
/// Highest value of enum ctattr_l4proto.
pub const CTA_PROTO_MAX: c_int = ctattr_l4proto::__CTA_PROTO_MAX as c_int - 1;

/// Attributes nested in CTA_PROTOINFO.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_protoinfo {
    CTA_PROTOINFO_UNSPEC = 0,
    CTA_PROTOINFO_TCP = 1,
    CTA_PROTOINFO_DCCP = 2,
    CTA_PROTOINFO_SCTP = 3,
    __CTA_PROTOINFO_MAX = 4,
}
/// Highest value of enum ctattr_protoinfo.
pub const CTA_PROTOINFO_MAX: c_int = ctattr_protoinfo::__CTA_PROTOINFO_MAX as c_int - 1;

/// TCP state attributes.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_protoinfo_tcp {
    CTA_PROTOINFO_TCP_UNSPEC = 0,
    CTA_PROTOINFO_TCP_STATE = 1,
    CTA_PROTOINFO_TCP_WSCALE_ORIGINAL = 2,
    CTA_PROTOINFO_TCP_WSCALE_REPLY = 3,
    CTA_PROTOINFO_TCP_FLAGS_ORIGINAL = 4,
    CTA_PROTOINFO_TCP_FLAGS_REPLY = 5,
    __CTA_PROTOINFO_TCP_MAX = 6,
}
/// Highest value of enum ctattr_protoinfo_tcp.
pub const CTA_PROTOINFO_TCP_MAX: c_int = ctattr_protoinfo_tcp::__CTA_PROTOINFO_TCP_MAX as c_int - 1;

/// DCCP state attributes.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_protoinfo_dccp {
    CTA_PROTOINFO_DCCP_UNSPEC = 0,
    CTA_PROTOINFO_DCCP_STATE = 1,
    CTA_PROTOINFO_DCCP_ROLE = 2,
    CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ = 3,
    CTA_PROTOINFO_DCCP_PAD = 4,
    __CTA_PROTOINFO_DCCP_MAX = 5,
}
/// Highest value of enum ctattr_protoinfo_dccp.
pub const CTA_PROTOINFO_DCCP_MAX: c_int =
    ctattr_protoinfo_dccp::__CTA_PROTOINFO_DCCP_MAX as c_int - 1;

/// SCTP state attributes.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_protoinfo_sctp {
    CTA_PROTOINFO_SCTP_UNSPEC = 0,
    CTA_PROTOINFO_SCTP_STATE = 1,
    CTA_PROTOINFO_SCTP_VTAG_ORIGINAL = 2,
    CTA_PROTOINFO_SCTP_VTAG_REPLY = 3,
    __CTA_PROTOINFO_SCTP_MAX = 4,
}
/// Highest value of enum ctattr_protoinfo_sctp.
pub const CTA_PROTOINFO_SCTP_MAX: c_int =
    ctattr_protoinfo_sctp::__CTA_PROTOINFO_SCTP_MAX as c_int - 1;

/// Counter attributes nested in CTA_COUNTERS_*.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_counters {
    CTA_COUNTERS_UNSPEC = 0,
    CTA_COUNTERS_PACKETS = 1,
    CTA_COUNTERS_BYTES = 2,
    CTA_COUNTERS32_PACKETS = 3,
    CTA_COUNTERS32_BYTES = 4,
    CTA_COUNTERS_PAD = 5,
    __CTA_COUNTERS_MAX = 6,
}
/// Highest value of enum ctattr_counters.
pub const CTA_COUNTERS_MAX: c_int = ctattr_counters::__CTA_COUNTERS_MAX as c_int - 1;

/// Timestamp attributes nested in CTA_TIMESTAMP.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_tstamp {
    CTA_TIMESTAMP_UNSPEC = 0,
    CTA_TIMESTAMP_START = 1,
    CTA_TIMESTAMP_STOP = 2,
    CTA_TIMESTAMP_PAD = 3,
    __CTA_TIMESTAMP_MAX = 4,
}
/// Highest value of enum ctattr_tstamp.
pub const CTA_TIMESTAMP_MAX: c_int = ctattr_tstamp::__CTA_TIMESTAMP_MAX as c_int - 1;

/// NAT attributes nested in CTA_NAT_SRC and CTA_NAT_DST.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_nat {
    CTA_NAT_UNSPEC = 0,
    CTA_NAT_V4_MINIP = 1,
    CTA_NAT_V4_MAXIP = 2,
    CTA_NAT_PROTO = 3,
    CTA_NAT_V6_MINIP = 4,
    CTA_NAT_V6_MAXIP = 5,
    __CTA_NAT_MAX = 6,
}
/// Alias of CTA_NAT_V4_MINIP.
pub const CTA_NAT_MINIP: ctattr_nat = ctattr_nat::CTA_NAT_V4_MINIP;
/// Alias of CTA_NAT_V4_MAXIP.
pub const CTA_NAT_MAXIP: ctattr_nat = ctattr_nat::CTA_NAT_V4_MAXIP;
/// Highest value of enum ctattr_nat.
pub const CTA_NAT_MAX: c_int = ctattr_nat::__CTA_NAT_MAX as c_int - 1;

/// Port range attributes nested in CTA_NAT_PROTO.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_protonat {
    CTA_PROTONAT_UNSPEC = 0,
    CTA_PROTONAT_PORT_MIN = 1,
    CTA_PROTONAT_PORT_MAX = 2,
    __CTA_PROTONAT_MAX = 3,
}
/// Highest value of enum ctattr_protonat.
pub const CTA_PROTONAT_MAX: c_int = ctattr_protonat::__CTA_PROTONAT_MAX as c_int - 1;

/// Sequence adjustment attributes.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_seqadj {
    CTA_SEQADJ_UNSPEC = 0,
    CTA_SEQADJ_CORRECTION_POS = 1,
    CTA_SEQADJ_OFFSET_BEFORE = 2,
    CTA_SEQADJ_OFFSET_AFTER = 3,
    __CTA_SEQADJ_MAX = 4,
}
/// Highest value of enum ctattr_seqadj.
pub const CTA_SEQADJ_MAX: c_int = ctattr_seqadj::__CTA_SEQADJ_MAX as c_int - 1;

/// Sequence adjustment attributes (older names).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_natseq {
    CTA_NAT_SEQ_UNSPEC = 0,
    CTA_NAT_SEQ_CORRECTION_POS = 1,
    CTA_NAT_SEQ_OFFSET_BEFORE = 2,
    CTA_NAT_SEQ_OFFSET_AFTER = 3,
    __CTA_NAT_SEQ_MAX = 4,
}
/// Highest value of enum ctattr_natseq.
pub const CTA_NAT_SEQ_MAX: c_int = ctattr_natseq::__CTA_NAT_SEQ_MAX as c_int - 1;

/// SYN proxy attributes nested in CTA_SYNPROXY.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_synproxy {
    CTA_SYNPROXY_UNSPEC = 0,
    CTA_SYNPROXY_ISN = 1,
    CTA_SYNPROXY_ITS = 2,
    CTA_SYNPROXY_TSOFF = 3,
    __CTA_SYNPROXY_MAX = 4,
}
/// Highest value of enum ctattr_synproxy.
pub const CTA_SYNPROXY_MAX: c_int = ctattr_synproxy::__CTA_SYNPROXY_MAX as c_int - 1;

/// Top-level attributes of an expectation message.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_expect {
    CTA_EXPECT_UNSPEC = 0,
    CTA_EXPECT_MASTER = 1,
    CTA_EXPECT_TUPLE = 2,
    CTA_EXPECT_MASK = 3,
    CTA_EXPECT_TIMEOUT = 4,
    CTA_EXPECT_ID = 5,
    CTA_EXPECT_HELP_NAME = 6,
    CTA_EXPECT_ZONE = 7,
    CTA_EXPECT_FLAGS = 8,
    CTA_EXPECT_CLASS = 9,
    CTA_EXPECT_NAT = 10,
    CTA_EXPECT_FN = 11,
    __CTA_EXPECT_MAX = 12,
}
/// Highest value of enum ctattr_expect.
pub const CTA_EXPECT_MAX: c_int = ctattr_expect::__CTA_EXPECT_MAX as c_int - 1;

/// Attributes nested in CTA_EXPECT_NAT.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_expect_nat {
    CTA_EXPECT_NAT_UNSPEC = 0,
    CTA_EXPECT_NAT_DIR = 1,
    CTA_EXPECT_NAT_TUPLE = 2,
    __CTA_EXPECT_NAT_MAX = 3,
}
/// Highest value of enum ctattr_expect_nat.
pub const CTA_EXPECT_NAT_MAX: c_int = ctattr_expect_nat::__CTA_EXPECT_NAT_MAX as c_int - 1;

/// Helper attributes nested in CTA_HELP.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_help {
    CTA_HELP_UNSPEC = 0,
    CTA_HELP_NAME = 1,
    CTA_HELP_INFO = 2,
    __CTA_HELP_MAX = 3,
}
/// Highest value of enum ctattr_help.
pub const CTA_HELP_MAX: c_int = ctattr_help::__CTA_HELP_MAX as c_int - 1;

/// Security context attributes nested in CTA_SECCTX.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_secctx {
    CTA_SECCTX_UNSPEC = 0,
    CTA_SECCTX_NAME = 1,
    __CTA_SECCTX_MAX = 2,
}
/// Highest value of enum ctattr_secctx.
pub const CTA_SECCTX_MAX: c_int = ctattr_secctx::__CTA_SECCTX_MAX as c_int - 1;

/// Per-CPU statistics attributes.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_stats_cpu {
    CTA_STATS_UNSPEC = 0,
    CTA_STATS_SEARCHED = 1,
    CTA_STATS_FOUND = 2,
    CTA_STATS_NEW = 3,
    CTA_STATS_INVALID = 4,
    CTA_STATS_IGNORE = 5,
    CTA_STATS_DELETE = 6,
    CTA_STATS_DELETE_LIST = 7,
    CTA_STATS_INSERT = 8,
    CTA_STATS_INSERT_FAILED = 9,
    CTA_STATS_DROP = 10,
    CTA_STATS_EARLY_DROP = 11,
    CTA_STATS_ERROR = 12,
    CTA_STATS_SEARCH_RESTART = 13,
    CTA_STATS_CLASH_RESOLVE = 14,
    CTA_STATS_CHAIN_TOOLONG = 15,
    __CTA_STATS_MAX = 16,
}
/// Highest value of enum ctattr_stats_cpu.
pub const CTA_STATS_MAX: c_int = ctattr_stats_cpu::__CTA_STATS_MAX as c_int - 1;

/// Global statistics attributes.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_stats_global {
    CTA_STATS_GLOBAL_UNSPEC = 0,
    CTA_STATS_GLOBAL_ENTRIES = 1,
    CTA_STATS_GLOBAL_MAX_ENTRIES = 2,
    __CTA_STATS_GLOBAL_MAX = 3,
}
/// Highest value of enum ctattr_stats_global.
pub const CTA_STATS_GLOBAL_MAX: c_int = ctattr_stats_global::__CTA_STATS_GLOBAL_MAX as c_int - 1;

/// Expectation statistics attributes.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_expect_stats {
    CTA_STATS_EXP_UNSPEC = 0,
    CTA_STATS_EXP_NEW = 1,
    CTA_STATS_EXP_CREATE = 2,
    CTA_STATS_EXP_DELETE = 3,
    __CTA_STATS_EXP_MAX = 4,
}
/// Highest value of enum ctattr_expect_stats.
pub const CTA_STATS_EXP_MAX: c_int = ctattr_expect_stats::__CTA_STATS_EXP_MAX as c_int - 1;

/// Dump filter attributes nested in CTA_FILTER.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ctattr_filter {
    CTA_FILTER_UNSPEC = 0,
    CTA_FILTER_ORIG_FLAGS = 1,
    CTA_FILTER_REPLY_FLAGS = 2,
    __CTA_FILTER_MAX = 3,
}
/// Highest value of enum ctattr_filter.
pub const CTA_FILTER_MAX: c_int = ctattr_filter::__CTA_FILTER_MAX as c_int - 1;

/// CTA_FILTER_*_FLAGS bit: match on CTA_IP_SRC.
pub const CTA_FILTER_FLAG_CTA_IP_SRC: c_int = 1 << 0;
/// CTA_FILTER_*_FLAGS bit: match on CTA_IP_DST.
pub const CTA_FILTER_FLAG_CTA_IP_DST: c_int = 1 << 1;
/// CTA_FILTER_*_FLAGS bit: match on CTA_TUPLE_ZONE.
pub const CTA_FILTER_FLAG_CTA_TUPLE_ZONE: c_int = 1 << 2;
/// CTA_FILTER_*_FLAGS bit: match on CTA_PROTO_NUM.
pub const CTA_FILTER_FLAG_CTA_PROTO_NUM: c_int = 1 << 3;
/// CTA_FILTER_*_FLAGS bit: match on CTA_PROTO_SRC_PORT.
pub const CTA_FILTER_FLAG_CTA_PROTO_SRC_PORT: c_int = 1 << 4;
/// CTA_FILTER_*_FLAGS bit: match on CTA_PROTO_DST_PORT.
pub const CTA_FILTER_FLAG_CTA_PROTO_DST_PORT: c_int = 1 << 5;
/// CTA_FILTER_*_FLAGS bit: match on CTA_PROTO_ICMP_TYPE.
pub const CTA_FILTER_FLAG_CTA_PROTO_ICMP_TYPE: c_int = 1 << 6;
/// CTA_FILTER_*_FLAGS bit: match on CTA_PROTO_ICMP_CODE.
pub const CTA_FILTER_FLAG_CTA_PROTO_ICMP_CODE: c_int = 1 << 7;
/// CTA_FILTER_*_FLAGS bit: match on CTA_PROTO_ICMP_ID.
pub const CTA_FILTER_FLAG_CTA_PROTO_ICMP_ID: c_int = 1 << 8;
/// CTA_FILTER_*_FLAGS bit: match on CTA_PROTO_ICMPV6_TYPE.
pub const CTA_FILTER_FLAG_CTA_PROTO_ICMPV6_TYPE: c_int = 1 << 9;
/// CTA_FILTER_*_FLAGS bit: match on CTA_PROTO_ICMPV6_CODE.
pub const CTA_FILTER_FLAG_CTA_PROTO_ICMPV6_CODE: c_int = 1 << 10;
/// CTA_FILTER_*_FLAGS bit: match on CTA_PROTO_ICMPV6_ID.
pub const CTA_FILTER_FLAG_CTA_PROTO_ICMPV6_ID: c_int = 1 << 11;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel;

    /// The header's numbers and the ones the crate speaks must agree.
    #[test]
    fn header_matches_kernel_rs() {
        assert_eq!(
            cntl_msg_types::IPCTNL_MSG_CT_NEW as i64,
            kernel::IPCTNL_MSG_CT_NEW as i64
        );
        assert_eq!(
            cntl_msg_types::IPCTNL_MSG_CT_GET as i64,
            kernel::IPCTNL_MSG_CT_GET as i64
        );
        assert_eq!(
            cntl_msg_types::IPCTNL_MSG_CT_DELETE as i64,
            kernel::IPCTNL_MSG_CT_DELETE as i64
        );
        assert_eq!(
            cntl_msg_types::IPCTNL_MSG_CT_GET_CTRZERO as i64,
            kernel::IPCTNL_MSG_CT_GET_CTRZERO as i64
        );
        assert_eq!(
            cntl_msg_types::IPCTNL_MSG_CT_GET_STATS_CPU as i64,
            kernel::IPCTNL_MSG_CT_GET_STATS_CPU as i64
        );
        assert_eq!(
            cntl_msg_types::IPCTNL_MSG_CT_GET_STATS as i64,
            kernel::IPCTNL_MSG_CT_GET_STATS as i64
        );
        assert_eq!(
            cntl_msg_types::IPCTNL_MSG_CT_GET_DYING as i64,
            kernel::IPCTNL_MSG_CT_GET_DYING as i64
        );
        assert_eq!(
            cntl_msg_types::IPCTNL_MSG_CT_GET_UNCONFIRMED as i64,
            kernel::IPCTNL_MSG_CT_GET_UNCONFIRMED as i64
        );
        assert_eq!(
            cntl_msg_types::IPCTNL_MSG_MAX as i64,
            kernel::IPCTNL_MSG_MAX as i64
        );
        assert_eq!(
            ctnl_exp_msg_types::IPCTNL_MSG_EXP_NEW as i64,
            kernel::IPCTNL_MSG_EXP_NEW as i64
        );
        assert_eq!(
            ctnl_exp_msg_types::IPCTNL_MSG_EXP_GET as i64,
            kernel::IPCTNL_MSG_EXP_GET as i64
        );
        assert_eq!(
            ctnl_exp_msg_types::IPCTNL_MSG_EXP_DELETE as i64,
            kernel::IPCTNL_MSG_EXP_DELETE as i64
        );
        assert_eq!(
            ctnl_exp_msg_types::IPCTNL_MSG_EXP_GET_STATS_CPU as i64,
            kernel::IPCTNL_MSG_EXP_GET_STATS_CPU as i64
        );
        assert_eq!(
            ctnl_exp_msg_types::IPCTNL_MSG_EXP_MAX as i64,
            kernel::IPCTNL_MSG_EXP_MAX as i64
        );
        assert_eq!(ctattr_type::CTA_UNSPEC as i64, kernel::CTA_UNSPEC as i64);
        assert_eq!(
            ctattr_type::CTA_TUPLE_ORIG as i64,
            kernel::CTA_TUPLE_ORIG as i64
        );
        assert_eq!(
            ctattr_type::CTA_TUPLE_REPLY as i64,
            kernel::CTA_TUPLE_REPLY as i64
        );
        assert_eq!(ctattr_type::CTA_STATUS as i64, kernel::CTA_STATUS as i64);
        assert_eq!(
            ctattr_type::CTA_PROTOINFO as i64,
            kernel::CTA_PROTOINFO as i64
        );
        assert_eq!(ctattr_type::CTA_HELP as i64, kernel::CTA_HELP as i64);
        assert_eq!(ctattr_type::CTA_NAT_SRC as i64, kernel::CTA_NAT_SRC as i64);
        assert_eq!(ctattr_type::CTA_MARK as i64, kernel::CTA_MARK as i64);
        assert_eq!(
            ctattr_type::CTA_COUNTERS_ORIG as i64,
            kernel::CTA_COUNTERS_ORIG as i64
        );
        assert_eq!(
            ctattr_type::CTA_COUNTERS_REPLY as i64,
            kernel::CTA_COUNTERS_REPLY as i64
        );
        assert_eq!(ctattr_type::CTA_USE as i64, kernel::CTA_USE as i64);
        assert_eq!(ctattr_type::CTA_ID as i64, kernel::CTA_ID as i64);
        assert_eq!(ctattr_type::CTA_NAT_DST as i64, kernel::CTA_NAT_DST as i64);
        assert_eq!(
            ctattr_type::CTA_TUPLE_MASTER as i64,
            kernel::CTA_TUPLE_MASTER as i64
        );
        assert_eq!(
            ctattr_type::CTA_SEQ_ADJ_ORIG as i64,
            kernel::CTA_SEQ_ADJ_ORIG as i64
        );
        assert_eq!(
            ctattr_type::CTA_SEQ_ADJ_REPLY as i64,
            kernel::CTA_SEQ_ADJ_REPLY as i64
        );
        assert_eq!(ctattr_type::CTA_SECMARK as i64, kernel::CTA_SECMARK as i64);
        assert_eq!(ctattr_type::CTA_ZONE as i64, kernel::CTA_ZONE as i64);
        assert_eq!(ctattr_type::CTA_SECCTX as i64, kernel::CTA_SECCTX as i64);
        assert_eq!(
            ctattr_type::CTA_TIMESTAMP as i64,
            kernel::CTA_TIMESTAMP as i64
        );
        assert_eq!(
            ctattr_type::CTA_MARK_MASK as i64,
            kernel::CTA_MARK_MASK as i64
        );
        assert_eq!(ctattr_type::CTA_LABELS as i64, kernel::CTA_LABELS as i64);
        assert_eq!(
            ctattr_type::CTA_LABELS_MASK as i64,
            kernel::CTA_LABELS_MASK as i64
        );
        assert_eq!(
            ctattr_type::CTA_SYNPROXY as i64,
            kernel::CTA_SYNPROXY as i64
        );
        assert_eq!(ctattr_type::CTA_FILTER as i64, kernel::CTA_FILTER as i64);
        assert_eq!(
            ctattr_type::CTA_STATUS_MASK as i64,
            kernel::CTA_STATUS_MASK as i64
        );
        assert_eq!(
            ctattr_tuple::CTA_TUPLE_UNSPEC as i64,
            kernel::CTA_TUPLE_UNSPEC as i64
        );
        assert_eq!(
            ctattr_tuple::CTA_TUPLE_IP as i64,
            kernel::CTA_TUPLE_IP as i64
        );
        assert_eq!(
            ctattr_tuple::CTA_TUPLE_PROTO as i64,
            kernel::CTA_TUPLE_PROTO as i64
        );
        assert_eq!(
            ctattr_tuple::CTA_TUPLE_ZONE as i64,
            kernel::CTA_TUPLE_ZONE as i64
        );
        assert_eq!(
            ctattr_ip::CTA_IP_UNSPEC as i64,
            kernel::CTA_IP_UNSPEC as i64
        );
        assert_eq!(
            ctattr_ip::CTA_IP_V4_SRC as i64,
            kernel::CTA_IP_V4_SRC as i64
        );
        assert_eq!(
            ctattr_ip::CTA_IP_V4_DST as i64,
            kernel::CTA_IP_V4_DST as i64
        );
        assert_eq!(
            ctattr_ip::CTA_IP_V6_SRC as i64,
            kernel::CTA_IP_V6_SRC as i64
        );
        assert_eq!(
            ctattr_ip::CTA_IP_V6_DST as i64,
            kernel::CTA_IP_V6_DST as i64
        );
        assert_eq!(
            ctattr_l4proto::CTA_PROTO_UNSPEC as i64,
            kernel::CTA_PROTO_UNSPEC as i64
        );
        assert_eq!(
            ctattr_l4proto::CTA_PROTO_NUM as i64,
            kernel::CTA_PROTO_NUM as i64
        );
        assert_eq!(
            ctattr_l4proto::CTA_PROTO_SRC_PORT as i64,
            kernel::CTA_PROTO_SRC_PORT as i64
        );
        assert_eq!(
            ctattr_l4proto::CTA_PROTO_DST_PORT as i64,
            kernel::CTA_PROTO_DST_PORT as i64
        );
        assert_eq!(
            ctattr_l4proto::CTA_PROTO_ICMP_ID as i64,
            kernel::CTA_PROTO_ICMP_ID as i64
        );
        assert_eq!(
            ctattr_l4proto::CTA_PROTO_ICMP_TYPE as i64,
            kernel::CTA_PROTO_ICMP_TYPE as i64
        );
        assert_eq!(
            ctattr_l4proto::CTA_PROTO_ICMP_CODE as i64,
            kernel::CTA_PROTO_ICMP_CODE as i64
        );
        assert_eq!(
            ctattr_l4proto::CTA_PROTO_ICMPV6_ID as i64,
            kernel::CTA_PROTO_ICMPV6_ID as i64
        );
        assert_eq!(
            ctattr_l4proto::CTA_PROTO_ICMPV6_TYPE as i64,
            kernel::CTA_PROTO_ICMPV6_TYPE as i64
        );
        assert_eq!(
            ctattr_l4proto::CTA_PROTO_ICMPV6_CODE as i64,
            kernel::CTA_PROTO_ICMPV6_CODE as i64
        );
        assert_eq!(
            ctattr_protoinfo::CTA_PROTOINFO_UNSPEC as i64,
            kernel::CTA_PROTOINFO_UNSPEC as i64
        );
        assert_eq!(
            ctattr_protoinfo::CTA_PROTOINFO_TCP as i64,
            kernel::CTA_PROTOINFO_TCP as i64
        );
        assert_eq!(
            ctattr_protoinfo::CTA_PROTOINFO_DCCP as i64,
            kernel::CTA_PROTOINFO_DCCP as i64
        );
        assert_eq!(
            ctattr_protoinfo::CTA_PROTOINFO_SCTP as i64,
            kernel::CTA_PROTOINFO_SCTP as i64
        );
        assert_eq!(
            ctattr_protoinfo_tcp::CTA_PROTOINFO_TCP_UNSPEC as i64,
            kernel::CTA_PROTOINFO_TCP_UNSPEC as i64
        );
        assert_eq!(
            ctattr_protoinfo_tcp::CTA_PROTOINFO_TCP_STATE as i64,
            kernel::CTA_PROTOINFO_TCP_STATE as i64
        );
        assert_eq!(
            ctattr_protoinfo_tcp::CTA_PROTOINFO_TCP_WSCALE_ORIGINAL as i64,
            kernel::CTA_PROTOINFO_TCP_WSCALE_ORIGINAL as i64
        );
        assert_eq!(
            ctattr_protoinfo_tcp::CTA_PROTOINFO_TCP_WSCALE_REPLY as i64,
            kernel::CTA_PROTOINFO_TCP_WSCALE_REPLY as i64
        );
        assert_eq!(
            ctattr_protoinfo_tcp::CTA_PROTOINFO_TCP_FLAGS_ORIGINAL as i64,
            kernel::CTA_PROTOINFO_TCP_FLAGS_ORIGINAL as i64
        );
        assert_eq!(
            ctattr_protoinfo_tcp::CTA_PROTOINFO_TCP_FLAGS_REPLY as i64,
            kernel::CTA_PROTOINFO_TCP_FLAGS_REPLY as i64
        );
        assert_eq!(
            ctattr_protoinfo_dccp::CTA_PROTOINFO_DCCP_UNSPEC as i64,
            kernel::CTA_PROTOINFO_DCCP_UNSPEC as i64
        );
        assert_eq!(
            ctattr_protoinfo_dccp::CTA_PROTOINFO_DCCP_STATE as i64,
            kernel::CTA_PROTOINFO_DCCP_STATE as i64
        );
        assert_eq!(
            ctattr_protoinfo_dccp::CTA_PROTOINFO_DCCP_ROLE as i64,
            kernel::CTA_PROTOINFO_DCCP_ROLE as i64
        );
        assert_eq!(
            ctattr_protoinfo_dccp::CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ as i64,
            kernel::CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ as i64
        );
        assert_eq!(
            ctattr_protoinfo_dccp::CTA_PROTOINFO_DCCP_PAD as i64,
            kernel::CTA_PROTOINFO_DCCP_PAD as i64
        );
        assert_eq!(
            ctattr_protoinfo_sctp::CTA_PROTOINFO_SCTP_UNSPEC as i64,
            kernel::CTA_PROTOINFO_SCTP_UNSPEC as i64
        );
        assert_eq!(
            ctattr_protoinfo_sctp::CTA_PROTOINFO_SCTP_STATE as i64,
            kernel::CTA_PROTOINFO_SCTP_STATE as i64
        );
        assert_eq!(
            ctattr_protoinfo_sctp::CTA_PROTOINFO_SCTP_VTAG_ORIGINAL as i64,
            kernel::CTA_PROTOINFO_SCTP_VTAG_ORIGINAL as i64
        );
        assert_eq!(
            ctattr_protoinfo_sctp::CTA_PROTOINFO_SCTP_VTAG_REPLY as i64,
            kernel::CTA_PROTOINFO_SCTP_VTAG_REPLY as i64
        );
        assert_eq!(
            ctattr_counters::CTA_COUNTERS_UNSPEC as i64,
            kernel::CTA_COUNTERS_UNSPEC as i64
        );
        assert_eq!(
            ctattr_counters::CTA_COUNTERS_PACKETS as i64,
            kernel::CTA_COUNTERS_PACKETS as i64
        );
        assert_eq!(
            ctattr_counters::CTA_COUNTERS_BYTES as i64,
            kernel::CTA_COUNTERS_BYTES as i64
        );
        assert_eq!(
            ctattr_counters::CTA_COUNTERS32_PACKETS as i64,
            kernel::CTA_COUNTERS32_PACKETS as i64
        );
        assert_eq!(
            ctattr_counters::CTA_COUNTERS32_BYTES as i64,
            kernel::CTA_COUNTERS32_BYTES as i64
        );
        assert_eq!(
            ctattr_counters::CTA_COUNTERS_PAD as i64,
            kernel::CTA_COUNTERS_PAD as i64
        );
        assert_eq!(
            ctattr_tstamp::CTA_TIMESTAMP_UNSPEC as i64,
            kernel::CTA_TIMESTAMP_UNSPEC as i64
        );
        assert_eq!(
            ctattr_tstamp::CTA_TIMESTAMP_START as i64,
            kernel::CTA_TIMESTAMP_START as i64
        );
        assert_eq!(
            ctattr_tstamp::CTA_TIMESTAMP_STOP as i64,
            kernel::CTA_TIMESTAMP_STOP as i64
        );
        assert_eq!(
            ctattr_tstamp::CTA_TIMESTAMP_PAD as i64,
            kernel::CTA_TIMESTAMP_PAD as i64
        );
        assert_eq!(
            ctattr_nat::CTA_NAT_UNSPEC as i64,
            kernel::CTA_NAT_UNSPEC as i64
        );
        assert_eq!(
            ctattr_nat::CTA_NAT_V4_MINIP as i64,
            kernel::CTA_NAT_V4_MINIP as i64
        );
        assert_eq!(
            ctattr_nat::CTA_NAT_V6_MINIP as i64,
            kernel::CTA_NAT_V6_MINIP as i64
        );
        assert_eq!(
            ctattr_nat::CTA_NAT_V6_MAXIP as i64,
            kernel::CTA_NAT_V6_MAXIP as i64
        );
        assert_eq!(
            ctattr_protonat::CTA_PROTONAT_UNSPEC as i64,
            kernel::CTA_PROTONAT_UNSPEC as i64
        );
        assert_eq!(
            ctattr_protonat::CTA_PROTONAT_PORT_MIN as i64,
            kernel::CTA_PROTONAT_PORT_MIN as i64
        );
        assert_eq!(
            ctattr_protonat::CTA_PROTONAT_PORT_MAX as i64,
            kernel::CTA_PROTONAT_PORT_MAX as i64
        );
        assert_eq!(
            ctattr_seqadj::CTA_SEQADJ_UNSPEC as i64,
            kernel::CTA_SEQADJ_UNSPEC as i64
        );
        assert_eq!(
            ctattr_seqadj::CTA_SEQADJ_CORRECTION_POS as i64,
            kernel::CTA_SEQADJ_CORRECTION_POS as i64
        );
        assert_eq!(
            ctattr_seqadj::CTA_SEQADJ_OFFSET_BEFORE as i64,
            kernel::CTA_SEQADJ_OFFSET_BEFORE as i64
        );
        assert_eq!(
            ctattr_seqadj::CTA_SEQADJ_OFFSET_AFTER as i64,
            kernel::CTA_SEQADJ_OFFSET_AFTER as i64
        );
        assert_eq!(
            ctattr_natseq::CTA_NAT_SEQ_UNSPEC as i64,
            kernel::CTA_NAT_SEQ_UNSPEC as i64
        );
        assert_eq!(
            ctattr_natseq::CTA_NAT_SEQ_CORRECTION_POS as i64,
            kernel::CTA_NAT_SEQ_CORRECTION_POS as i64
        );
        assert_eq!(
            ctattr_natseq::CTA_NAT_SEQ_OFFSET_BEFORE as i64,
            kernel::CTA_NAT_SEQ_OFFSET_BEFORE as i64
        );
        assert_eq!(
            ctattr_natseq::CTA_NAT_SEQ_OFFSET_AFTER as i64,
            kernel::CTA_NAT_SEQ_OFFSET_AFTER as i64
        );
        assert_eq!(
            ctattr_synproxy::CTA_SYNPROXY_UNSPEC as i64,
            kernel::CTA_SYNPROXY_UNSPEC as i64
        );
        assert_eq!(
            ctattr_synproxy::CTA_SYNPROXY_ISN as i64,
            kernel::CTA_SYNPROXY_ISN as i64
        );
        assert_eq!(
            ctattr_synproxy::CTA_SYNPROXY_ITS as i64,
            kernel::CTA_SYNPROXY_ITS as i64
        );
        assert_eq!(
            ctattr_synproxy::CTA_SYNPROXY_TSOFF as i64,
            kernel::CTA_SYNPROXY_TSOFF as i64
        );
        assert_eq!(
            ctattr_expect::CTA_EXPECT_UNSPEC as i64,
            kernel::CTA_EXPECT_UNSPEC as i64
        );
        assert_eq!(
            ctattr_expect::CTA_EXPECT_MASTER as i64,
            kernel::CTA_EXPECT_MASTER as i64
        );
        assert_eq!(
            ctattr_expect::CTA_EXPECT_TUPLE as i64,
            kernel::CTA_EXPECT_TUPLE as i64
        );
        assert_eq!(
            ctattr_expect::CTA_EXPECT_MASK as i64,
            kernel::CTA_EXPECT_MASK as i64
        );
        assert_eq!(
            ctattr_expect::CTA_EXPECT_TIMEOUT as i64,
            kernel::CTA_EXPECT_TIMEOUT as i64
        );
        assert_eq!(
            ctattr_expect::CTA_EXPECT_ID as i64,
            kernel::CTA_EXPECT_ID as i64
        );
        assert_eq!(
            ctattr_expect::CTA_EXPECT_HELP_NAME as i64,
            kernel::CTA_EXPECT_HELP_NAME as i64
        );
        assert_eq!(
            ctattr_expect::CTA_EXPECT_ZONE as i64,
            kernel::CTA_EXPECT_ZONE as i64
        );
        assert_eq!(
            ctattr_expect::CTA_EXPECT_FLAGS as i64,
            kernel::CTA_EXPECT_FLAGS as i64
        );
        assert_eq!(
            ctattr_expect::CTA_EXPECT_CLASS as i64,
            kernel::CTA_EXPECT_CLASS as i64
        );
        assert_eq!(
            ctattr_expect::CTA_EXPECT_NAT as i64,
            kernel::CTA_EXPECT_NAT as i64
        );
        assert_eq!(
            ctattr_expect::CTA_EXPECT_FN as i64,
            kernel::CTA_EXPECT_FN as i64
        );
        assert_eq!(
            ctattr_expect_nat::CTA_EXPECT_NAT_UNSPEC as i64,
            kernel::CTA_EXPECT_NAT_UNSPEC as i64
        );
        assert_eq!(
            ctattr_expect_nat::CTA_EXPECT_NAT_DIR as i64,
            kernel::CTA_EXPECT_NAT_DIR as i64
        );
        assert_eq!(
            ctattr_expect_nat::CTA_EXPECT_NAT_TUPLE as i64,
            kernel::CTA_EXPECT_NAT_TUPLE as i64
        );
        assert_eq!(
            ctattr_help::CTA_HELP_UNSPEC as i64,
            kernel::CTA_HELP_UNSPEC as i64
        );
        assert_eq!(
            ctattr_help::CTA_HELP_NAME as i64,
            kernel::CTA_HELP_NAME as i64
        );
        assert_eq!(
            ctattr_help::CTA_HELP_INFO as i64,
            kernel::CTA_HELP_INFO as i64
        );
        assert_eq!(
            ctattr_secctx::CTA_SECCTX_UNSPEC as i64,
            kernel::CTA_SECCTX_UNSPEC as i64
        );
        assert_eq!(
            ctattr_secctx::CTA_SECCTX_NAME as i64,
            kernel::CTA_SECCTX_NAME as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_UNSPEC as i64,
            kernel::CTA_STATS_UNSPEC as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_SEARCHED as i64,
            kernel::CTA_STATS_SEARCHED as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_FOUND as i64,
            kernel::CTA_STATS_FOUND as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_NEW as i64,
            kernel::CTA_STATS_NEW as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_INVALID as i64,
            kernel::CTA_STATS_INVALID as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_IGNORE as i64,
            kernel::CTA_STATS_IGNORE as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_DELETE as i64,
            kernel::CTA_STATS_DELETE as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_DELETE_LIST as i64,
            kernel::CTA_STATS_DELETE_LIST as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_INSERT as i64,
            kernel::CTA_STATS_INSERT as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_INSERT_FAILED as i64,
            kernel::CTA_STATS_INSERT_FAILED as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_DROP as i64,
            kernel::CTA_STATS_DROP as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_EARLY_DROP as i64,
            kernel::CTA_STATS_EARLY_DROP as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_ERROR as i64,
            kernel::CTA_STATS_ERROR as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_SEARCH_RESTART as i64,
            kernel::CTA_STATS_SEARCH_RESTART as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_CLASH_RESOLVE as i64,
            kernel::CTA_STATS_CLASH_RESOLVE as i64
        );
        assert_eq!(
            ctattr_stats_cpu::CTA_STATS_CHAIN_TOOLONG as i64,
            kernel::CTA_STATS_CHAIN_TOOLONG as i64
        );
        assert_eq!(
            ctattr_stats_global::CTA_STATS_GLOBAL_UNSPEC as i64,
            kernel::CTA_STATS_GLOBAL_UNSPEC as i64
        );
        assert_eq!(
            ctattr_stats_global::CTA_STATS_GLOBAL_ENTRIES as i64,
            kernel::CTA_STATS_GLOBAL_ENTRIES as i64
        );
        assert_eq!(
            ctattr_stats_global::CTA_STATS_GLOBAL_MAX_ENTRIES as i64,
            kernel::CTA_STATS_GLOBAL_MAX_ENTRIES as i64
        );
        assert_eq!(
            ctattr_expect_stats::CTA_STATS_EXP_UNSPEC as i64,
            kernel::CTA_STATS_EXP_UNSPEC as i64
        );
        assert_eq!(
            ctattr_expect_stats::CTA_STATS_EXP_NEW as i64,
            kernel::CTA_STATS_EXP_NEW as i64
        );
        assert_eq!(
            ctattr_expect_stats::CTA_STATS_EXP_CREATE as i64,
            kernel::CTA_STATS_EXP_CREATE as i64
        );
        assert_eq!(
            ctattr_expect_stats::CTA_STATS_EXP_DELETE as i64,
            kernel::CTA_STATS_EXP_DELETE as i64
        );
        assert_eq!(
            ctattr_filter::CTA_FILTER_UNSPEC as i64,
            kernel::CTA_FILTER_UNSPEC as i64
        );
        assert_eq!(
            ctattr_filter::CTA_FILTER_ORIG_FLAGS as i64,
            kernel::CTA_FILTER_ORIG_FLAGS as i64
        );
        assert_eq!(
            ctattr_filter::CTA_FILTER_REPLY_FLAGS as i64,
            kernel::CTA_FILTER_REPLY_FLAGS as i64
        );
    }
}
