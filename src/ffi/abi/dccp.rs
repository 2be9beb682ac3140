//! Types and constants of `libnetfilter_conntrack_dccp.h`: DCCP conntrack
//! states (ATTR_DCCP_STATE) and roles (ATTR_DCCP_ROLE).

use std::ffi::c_int;

/// DCCP conntrack states.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum dccp_state {
    DCCP_CONNTRACK_NONE = 0,
    DCCP_CONNTRACK_REQUEST = 1,
    DCCP_CONNTRACK_RESPOND = 2,
    DCCP_CONNTRACK_PARTOPEN = 3,
    DCCP_CONNTRACK_OPEN = 4,
    DCCP_CONNTRACK_CLOSEREQ = 5,
    DCCP_CONNTRACK_CLOSING = 6,
    DCCP_CONNTRACK_TIMEWAIT = 7,
    DCCP_CONNTRACK_IGNORE = 8,
    DCCP_CONNTRACK_INVALID = 9,
    DCCP_CONNTRACK_MAX = 10,
}

/// DCCP roles.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum dccp_roles {
    DCCP_CONNTRACK_ROLE_CLIENT = 0,
    DCCP_CONNTRACK_ROLE_SERVER = 1,
    __DCCP_CONNTRACK_ROLE_MAX = 2,
}

/// Highest DCCP role.
pub const DCCP_ROLE_MAX: c_int = dccp_roles::__DCCP_CONNTRACK_ROLE_MAX as c_int - 1;
