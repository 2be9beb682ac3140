//! Kernel numbers of ctnetlink, under their kernel names, from the Linux
//! uapi headers <linux/netfilter/nfnetlink.h> and
//! <linux/netfilter/nfnetlink_conntrack.h>. Nothing else in the crate
//! spells out these numbers.
#![forbid(unsafe_code)]
#![allow(missing_docs)]

/// Netlink protocol number of nfnetlink (`NETLINK_NETFILTER`).
pub const NETLINK_NETFILTER: i32 = 12;
/// nfnetlink subsystem ids.
pub const NFNL_SUBSYS_NONE: u8 = 0;
pub const NFNL_SUBSYS_CTNETLINK: u8 = 1;
pub const NFNL_SUBSYS_CTNETLINK_EXP: u8 = 2;
/// Version of nfnetlink (`struct nfgenmsg` version field).
pub const NFNETLINK_V0: u8 = 0;
/// Size of `struct nfgenmsg`.
pub const NFGENMSG_LEN: usize = 4;
/// Flag in an attribute type: the attribute nests others.
pub const NLA_F_NESTED: u16 = 1 << 15;
/// Flag in an attribute type: network byte order.
pub const NLA_F_NET_BYTEORDER: u16 = 1 << 14;

// <linux/netlink.h>: message types and flags of struct nlmsghdr.
pub const NLMSG_NOOP: u16 = 0x1;
pub const NLMSG_ERROR: u16 = 0x2;
pub const NLMSG_DONE: u16 = 0x3;
pub const NLMSG_OVERRUN: u16 = 0x4;
pub const NLM_F_REQUEST: u16 = 0x01;
pub const NLM_F_MULTI: u16 = 0x02;
pub const NLM_F_ACK: u16 = 0x04;
pub const NLM_F_ECHO: u16 = 0x08;
pub const NLM_F_DUMP_INTR: u16 = 0x10;
pub const NLM_F_ROOT: u16 = 0x100;
pub const NLM_F_MATCH: u16 = 0x200;
pub const NLM_F_ATOMIC: u16 = 0x400;
pub const NLM_F_DUMP: u16 = NLM_F_ROOT | NLM_F_MATCH;
pub const NLM_F_REPLACE: u16 = 0x100;
pub const NLM_F_EXCL: u16 = 0x200;
pub const NLM_F_CREATE: u16 = 0x400;
pub const NLM_F_APPEND: u16 = 0x800;

// <linux/socket.h>, <netinet/in.h>: the families and protocols ctnetlink
// tuples carry.
pub const AF_UNSPEC: u8 = 0;
pub const AF_INET: u8 = 2;
pub const AF_INET6: u8 = 10;
pub const IPPROTO_ICMP: u8 = 1;
pub const IPPROTO_TCP: u8 = 6;
pub const IPPROTO_UDP: u8 = 17;
pub const IPPROTO_DCCP: u8 = 33;
pub const IPPROTO_GRE: u8 = 47;
pub const IPPROTO_ICMPV6: u8 = 58;
pub const IPPROTO_SCTP: u8 = 132;
pub const IPPROTO_UDPLITE: u8 = 136;

// <linux/netfilter/nf_conntrack_common.h>: the status bits the library
// sends or reads (enum ip_conntrack_status) and the expectation flags.
pub const IPS_SEEN_REPLY: u32 = 1 << 1;
pub const IPS_ASSURED: u32 = 1 << 2;
pub const IPS_CONFIRMED: u32 = 1 << 3;
pub const IPS_SRC_NAT_DONE: u32 = 1 << 7;
pub const IPS_DST_NAT_DONE: u32 = 1 << 8;
pub const IPS_OFFLOAD: u32 = 1 << 14;
pub const IPS_HW_OFFLOAD: u32 = 1 << 15;
pub const NF_CT_EXPECT_PERMANENT: u32 = 0x1;
pub const NF_CT_EXPECT_INACTIVE: u32 = 0x2;
pub const NF_CT_EXPECT_USERSPACE: u32 = 0x4;

/// Legacy event group bits (`NF_NETLINK_CONNTRACK_*`), as passed to `nfct_open`.
pub const NF_NETLINK_CONNTRACK_NEW: u32 = 0x0000_0001;
pub const NF_NETLINK_CONNTRACK_UPDATE: u32 = 0x0000_0002;
pub const NF_NETLINK_CONNTRACK_DESTROY: u32 = 0x0000_0004;
pub const NF_NETLINK_CONNTRACK_EXP_NEW: u32 = 0x0000_0008;
pub const NF_NETLINK_CONNTRACK_EXP_UPDATE: u32 = 0x0000_0010;
pub const NF_NETLINK_CONNTRACK_EXP_DESTROY: u32 = 0x0000_0020;

// enum nfnetlink_groups
pub const NFNLGRP_NONE: u32 = 0;
pub const NFNLGRP_CONNTRACK_NEW: u32 = 1;
pub const NFNLGRP_CONNTRACK_UPDATE: u32 = 2;
pub const NFNLGRP_CONNTRACK_DESTROY: u32 = 3;
pub const NFNLGRP_CONNTRACK_EXP_NEW: u32 = 4;
pub const NFNLGRP_CONNTRACK_EXP_UPDATE: u32 = 5;
pub const NFNLGRP_CONNTRACK_EXP_DESTROY: u32 = 6;

// enum nfnl_batch_attributes
pub const NFNL_BATCH_UNSPEC: u16 = 0;
pub const NFNL_BATCH_GENID: u16 = 1;

// enum cntl_msg_types
pub const IPCTNL_MSG_CT_NEW: u8 = 0;
pub const IPCTNL_MSG_CT_GET: u8 = 1;
pub const IPCTNL_MSG_CT_DELETE: u8 = 2;
pub const IPCTNL_MSG_CT_GET_CTRZERO: u8 = 3;
pub const IPCTNL_MSG_CT_GET_STATS_CPU: u8 = 4;
pub const IPCTNL_MSG_CT_GET_STATS: u8 = 5;
pub const IPCTNL_MSG_CT_GET_DYING: u8 = 6;
pub const IPCTNL_MSG_CT_GET_UNCONFIRMED: u8 = 7;
pub const IPCTNL_MSG_MAX: u8 = 8;

// enum ctnl_exp_msg_types
pub const IPCTNL_MSG_EXP_NEW: u8 = 0;
pub const IPCTNL_MSG_EXP_GET: u8 = 1;
pub const IPCTNL_MSG_EXP_DELETE: u8 = 2;
pub const IPCTNL_MSG_EXP_GET_STATS_CPU: u8 = 3;
pub const IPCTNL_MSG_EXP_MAX: u8 = 4;

// enum ctattr_type
pub const CTA_UNSPEC: u16 = 0;
pub const CTA_TUPLE_ORIG: u16 = 1;
pub const CTA_TUPLE_REPLY: u16 = 2;
pub const CTA_STATUS: u16 = 3;
pub const CTA_PROTOINFO: u16 = 4;
pub const CTA_HELP: u16 = 5;
pub const CTA_NAT_SRC: u16 = 6;
pub const CTA_TIMEOUT: u16 = 7;
pub const CTA_MARK: u16 = 8;
pub const CTA_COUNTERS_ORIG: u16 = 9;
pub const CTA_COUNTERS_REPLY: u16 = 10;
pub const CTA_USE: u16 = 11;
pub const CTA_ID: u16 = 12;
pub const CTA_NAT_DST: u16 = 13;
pub const CTA_TUPLE_MASTER: u16 = 14;
pub const CTA_SEQ_ADJ_ORIG: u16 = 15;
pub const CTA_NAT_SEQ_ADJ_ORIG: u16 = 15;
pub const CTA_SEQ_ADJ_REPLY: u16 = 16;
pub const CTA_NAT_SEQ_ADJ_REPLY: u16 = 16;
pub const CTA_SECMARK: u16 = 17;
pub const CTA_ZONE: u16 = 18;
pub const CTA_SECCTX: u16 = 19;
pub const CTA_TIMESTAMP: u16 = 20;
pub const CTA_MARK_MASK: u16 = 21;
pub const CTA_LABELS: u16 = 22;
pub const CTA_LABELS_MASK: u16 = 23;
pub const CTA_SYNPROXY: u16 = 24;
pub const CTA_FILTER: u16 = 25;
pub const CTA_STATUS_MASK: u16 = 26;
pub const CTA_TIMESTAMP_EVENT: u16 = 27;
pub const CTA_MAX: u16 = 27;

// enum ctattr_tuple
pub const CTA_TUPLE_UNSPEC: u16 = 0;
pub const CTA_TUPLE_IP: u16 = 1;
pub const CTA_TUPLE_PROTO: u16 = 2;
pub const CTA_TUPLE_ZONE: u16 = 3;
pub const CTA_TUPLE_MAX: u16 = 3;

// enum ctattr_ip
pub const CTA_IP_UNSPEC: u16 = 0;
pub const CTA_IP_V4_SRC: u16 = 1;
pub const CTA_IP_V4_DST: u16 = 2;
pub const CTA_IP_V6_SRC: u16 = 3;
pub const CTA_IP_V6_DST: u16 = 4;
pub const CTA_IP_MAX: u16 = 4;

// enum ctattr_l4proto
pub const CTA_PROTO_UNSPEC: u16 = 0;
pub const CTA_PROTO_NUM: u16 = 1;
pub const CTA_PROTO_SRC_PORT: u16 = 2;
pub const CTA_PROTO_DST_PORT: u16 = 3;
pub const CTA_PROTO_ICMP_ID: u16 = 4;
pub const CTA_PROTO_ICMP_TYPE: u16 = 5;
pub const CTA_PROTO_ICMP_CODE: u16 = 6;
pub const CTA_PROTO_ICMPV6_ID: u16 = 7;
pub const CTA_PROTO_ICMPV6_TYPE: u16 = 8;
pub const CTA_PROTO_ICMPV6_CODE: u16 = 9;
pub const CTA_PROTO_MAX: u16 = 9;

// enum ctattr_protoinfo
pub const CTA_PROTOINFO_UNSPEC: u16 = 0;
pub const CTA_PROTOINFO_TCP: u16 = 1;
pub const CTA_PROTOINFO_DCCP: u16 = 2;
pub const CTA_PROTOINFO_SCTP: u16 = 3;
pub const CTA_PROTOINFO_MAX: u16 = 3;

// enum ctattr_protoinfo_tcp
pub const CTA_PROTOINFO_TCP_UNSPEC: u16 = 0;
pub const CTA_PROTOINFO_TCP_STATE: u16 = 1;
pub const CTA_PROTOINFO_TCP_WSCALE_ORIGINAL: u16 = 2;
pub const CTA_PROTOINFO_TCP_WSCALE_REPLY: u16 = 3;
pub const CTA_PROTOINFO_TCP_FLAGS_ORIGINAL: u16 = 4;
pub const CTA_PROTOINFO_TCP_FLAGS_REPLY: u16 = 5;
pub const CTA_PROTOINFO_TCP_MAX: u16 = 5;

// enum ctattr_protoinfo_dccp
pub const CTA_PROTOINFO_DCCP_UNSPEC: u16 = 0;
pub const CTA_PROTOINFO_DCCP_STATE: u16 = 1;
pub const CTA_PROTOINFO_DCCP_ROLE: u16 = 2;
pub const CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ: u16 = 3;
pub const CTA_PROTOINFO_DCCP_PAD: u16 = 4;
pub const CTA_PROTOINFO_DCCP_MAX: u16 = 4;

// enum ctattr_protoinfo_sctp
pub const CTA_PROTOINFO_SCTP_UNSPEC: u16 = 0;
pub const CTA_PROTOINFO_SCTP_STATE: u16 = 1;
pub const CTA_PROTOINFO_SCTP_VTAG_ORIGINAL: u16 = 2;
pub const CTA_PROTOINFO_SCTP_VTAG_REPLY: u16 = 3;
pub const CTA_PROTOINFO_SCTP_MAX: u16 = 3;

// enum ctattr_counters
pub const CTA_COUNTERS_UNSPEC: u16 = 0;
pub const CTA_COUNTERS_PACKETS: u16 = 1;
pub const CTA_COUNTERS_BYTES: u16 = 2;
pub const CTA_COUNTERS32_PACKETS: u16 = 3;
pub const CTA_COUNTERS32_BYTES: u16 = 4;
pub const CTA_COUNTERS_PAD: u16 = 5;
pub const CTA_COUNTERS_MAX: u16 = 5;

// enum ctattr_tstamp
pub const CTA_TIMESTAMP_UNSPEC: u16 = 0;
pub const CTA_TIMESTAMP_START: u16 = 1;
pub const CTA_TIMESTAMP_STOP: u16 = 2;
pub const CTA_TIMESTAMP_PAD: u16 = 3;
pub const CTA_TIMESTAMP_MAX: u16 = 3;

// enum ctattr_nat
pub const CTA_NAT_UNSPEC: u16 = 0;
pub const CTA_NAT_V4_MINIP: u16 = 1;
pub const CTA_NAT_V4_MAXIP: u16 = 2;
pub const CTA_NAT_PROTO: u16 = 3;
pub const CTA_NAT_V6_MINIP: u16 = 4;
pub const CTA_NAT_V6_MAXIP: u16 = 5;
pub const CTA_NAT_MAX: u16 = 5;

// enum ctattr_protonat
pub const CTA_PROTONAT_UNSPEC: u16 = 0;
pub const CTA_PROTONAT_PORT_MIN: u16 = 1;
pub const CTA_PROTONAT_PORT_MAX: u16 = 2;

// enum ctattr_seqadj
pub const CTA_SEQADJ_UNSPEC: u16 = 0;
pub const CTA_SEQADJ_CORRECTION_POS: u16 = 1;
pub const CTA_SEQADJ_OFFSET_BEFORE: u16 = 2;
pub const CTA_SEQADJ_OFFSET_AFTER: u16 = 3;

// enum ctattr_natseq
pub const CTA_NAT_SEQ_UNSPEC: u16 = 0;
pub const CTA_NAT_SEQ_CORRECTION_POS: u16 = 1;
pub const CTA_NAT_SEQ_OFFSET_BEFORE: u16 = 2;
pub const CTA_NAT_SEQ_OFFSET_AFTER: u16 = 3;
pub const CTA_NAT_SEQ_MAX: u16 = 3;

// enum ctattr_synproxy
pub const CTA_SYNPROXY_UNSPEC: u16 = 0;
pub const CTA_SYNPROXY_ISN: u16 = 1;
pub const CTA_SYNPROXY_ITS: u16 = 2;
pub const CTA_SYNPROXY_TSOFF: u16 = 3;
pub const CTA_SYNPROXY_MAX: u16 = 3;

// enum ctattr_expect
pub const CTA_EXPECT_UNSPEC: u16 = 0;
pub const CTA_EXPECT_MASTER: u16 = 1;
pub const CTA_EXPECT_TUPLE: u16 = 2;
pub const CTA_EXPECT_MASK: u16 = 3;
pub const CTA_EXPECT_TIMEOUT: u16 = 4;
pub const CTA_EXPECT_ID: u16 = 5;
pub const CTA_EXPECT_HELP_NAME: u16 = 6;
pub const CTA_EXPECT_ZONE: u16 = 7;
pub const CTA_EXPECT_FLAGS: u16 = 8;
pub const CTA_EXPECT_CLASS: u16 = 9;
pub const CTA_EXPECT_NAT: u16 = 10;
pub const CTA_EXPECT_FN: u16 = 11;
pub const CTA_EXPECT_MAX: u16 = 11;

// enum ctattr_expect_nat
pub const CTA_EXPECT_NAT_UNSPEC: u16 = 0;
pub const CTA_EXPECT_NAT_DIR: u16 = 1;
pub const CTA_EXPECT_NAT_TUPLE: u16 = 2;
pub const CTA_EXPECT_NAT_MAX: u16 = 2;

// enum ctattr_help
pub const CTA_HELP_UNSPEC: u16 = 0;
pub const CTA_HELP_NAME: u16 = 1;
pub const CTA_HELP_INFO: u16 = 2;
pub const CTA_HELP_MAX: u16 = 2;

// enum ctattr_secctx
pub const CTA_SECCTX_UNSPEC: u16 = 0;
pub const CTA_SECCTX_NAME: u16 = 1;
pub const CTA_SECCTX_MAX: u16 = 1;

// enum ctattr_stats_cpu
pub const CTA_STATS_UNSPEC: u16 = 0;
pub const CTA_STATS_SEARCHED: u16 = 1;
pub const CTA_STATS_FOUND: u16 = 2;
pub const CTA_STATS_NEW: u16 = 3;
pub const CTA_STATS_INVALID: u16 = 4;
pub const CTA_STATS_IGNORE: u16 = 5;
pub const CTA_STATS_DELETE: u16 = 6;
pub const CTA_STATS_DELETE_LIST: u16 = 7;
pub const CTA_STATS_INSERT: u16 = 8;
pub const CTA_STATS_INSERT_FAILED: u16 = 9;
pub const CTA_STATS_DROP: u16 = 10;
pub const CTA_STATS_EARLY_DROP: u16 = 11;
pub const CTA_STATS_ERROR: u16 = 12;
pub const CTA_STATS_SEARCH_RESTART: u16 = 13;
pub const CTA_STATS_CLASH_RESOLVE: u16 = 14;
pub const CTA_STATS_CHAIN_TOOLONG: u16 = 15;

// enum ctattr_stats_global
pub const CTA_STATS_GLOBAL_UNSPEC: u16 = 0;
pub const CTA_STATS_GLOBAL_ENTRIES: u16 = 1;
pub const CTA_STATS_GLOBAL_MAX_ENTRIES: u16 = 2;

// enum ctattr_expect_stats
pub const CTA_STATS_EXP_UNSPEC: u16 = 0;
pub const CTA_STATS_EXP_NEW: u16 = 1;
pub const CTA_STATS_EXP_CREATE: u16 = 2;
pub const CTA_STATS_EXP_DELETE: u16 = 3;

// enum ctattr_filter
pub const CTA_FILTER_UNSPEC: u16 = 0;
pub const CTA_FILTER_ORIG_FLAGS: u16 = 1;
pub const CTA_FILTER_REPLY_FLAGS: u16 = 2;

// Bits of CTA_FILTER_ORIG_FLAGS and CTA_FILTER_REPLY_FLAGS. Not in the uapi
// header: the kernel defines them in net/netfilter/nf_internals.h (spelled
// CTA_FILTER_FLAG(CTA_IP_SRC) at their uses); upstream's copy of the header,
// include/libnetfilter_conntrack/linux_nfnetlink_conntrack.h, names them
// CTA_FILTER_FLAG_CTA_*.
pub const CTA_FILTER_F_CTA_IP_SRC: u32 = 1 << 0;
pub const CTA_FILTER_F_CTA_IP_DST: u32 = 1 << 1;
pub const CTA_FILTER_F_CTA_TUPLE_ZONE: u32 = 1 << 2;
pub const CTA_FILTER_F_CTA_PROTO_NUM: u32 = 1 << 3;
pub const CTA_FILTER_F_CTA_PROTO_SRC_PORT: u32 = 1 << 4;
pub const CTA_FILTER_F_CTA_PROTO_DST_PORT: u32 = 1 << 5;
pub const CTA_FILTER_F_CTA_PROTO_ICMP_TYPE: u32 = 1 << 6;
pub const CTA_FILTER_F_CTA_PROTO_ICMP_CODE: u32 = 1 << 7;
pub const CTA_FILTER_F_CTA_PROTO_ICMP_ID: u32 = 1 << 8;
pub const CTA_FILTER_F_CTA_PROTO_ICMPV6_TYPE: u32 = 1 << 9;
pub const CTA_FILTER_F_CTA_PROTO_ICMPV6_CODE: u32 = 1 << 10;
pub const CTA_FILTER_F_CTA_PROTO_ICMPV6_ID: u32 = 1 << 11;
