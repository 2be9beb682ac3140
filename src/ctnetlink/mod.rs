//! A Rust API over the same core as the C library: typed flows and
//! expectations, a handle for queries, streaming dumps, event
//! subscriptions, and the kernel's conntrack statistics.
//!
//! - [`Handle`] opens a ctnetlink socket, in the caller's network
//!   namespace or in a given one ([`Handle::open_in`]), and runs queries:
//!   [`get`](Handle::get), [`create`](Handle::create),
//!   [`update`](Handle::update), [`delete`](Handle::delete),
//!   [`flush`](Handle::flush), [`dump`](Handle::dump) (a [`Dump`]
//!   iterator that never holds the whole table), dumps and flushes
//!   restricted by a [`DumpFilter`](crate::filter::dump::DumpFilter),
//!   expectations, and [`stats`](Handle::stats) /
//!   [`cpu_stats`](Handle::cpu_stats).
//! - [`Flow`] is a conntrack entry with typed fields ([`IpAddr`](std::net::IpAddr)
//!   addresses, host-order ports, [`Protocol`], [`TcpState`], [`Status`]
//!   bitflags, [`Counters`], [`Labels`], ...). It converts to and from
//!   the core object [`crate::conntrack::Conntrack`] and prints as
//!   `nfct_snprintf` does. [`Expectation`] is the same for expectations.
//! - [`Events`] yields [`Event`]s (new, update, destroy) from the
//!   multicast groups, optionally filtered in the kernel by an
//!   [`EventFilter`](crate::filter::EventFilter).
//! - [`Error`] carries the errno and the kernel's extended-ack message.
//!
//! With the cargo feature `serde`, the value types implement `Serialize`
//! and `Deserialize` (for a JSON form, say).
//!
//! ```no_run
//! use netfilter_conntrack::ctnetlink::{Handle, Status};
//!
//! let mut h = Handle::open()?;
//! for flow in h.dump()? {
//!     let flow = flow?;
//!     if flow.status.is_some_and(|s| s.contains(Status::ASSURED)) {
//!         println!("{flow}");
//!     }
//! }
//! # Ok::<(), netfilter_conntrack::ctnetlink::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod conn;
pub mod error;
pub mod events;
pub mod expectation;
pub mod flow;
pub mod handle;
pub mod stats;

pub use error::{Error, Result};
pub use events::{Event, EventKind, Events, Groups};
pub use expectation::{ExpectFlags, ExpectNat, Expectation};
pub use flow::{
    Counter, Counters, DccpInfo, DccpState, FlagsMask, Flow, FlowBuilder, Labels, Nat, ProtoInfo,
    Protocol, SctpInfo, SctpState, Status, TcpInfo, TcpState, Timestamp, Tuple, L4,
};
pub use handle::{tuple_filter, Dump, Handle};
pub use stats::{CpuStats, ExpectCpuStats, Stats};
