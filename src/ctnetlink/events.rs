//! Event subscriptions: a socket bound to the conntrack multicast groups,
//! read as an iterator of typed [`Event`]s, optionally filtered in the
//! kernel by an [`EventFilter`] compiled to BPF.
#![forbid(unsafe_code)]

use std::fmt;
use std::os::fd::{AsFd, BorrowedFd};
use std::time::Duration;

use bitflags::bitflags;
use nix::sys::socket::{setsockopt, sockopt};
use nix::sys::time::TimeVal;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::conn::{classify, open_socket, Conn, Reply};
use super::error::Result;
use super::expectation::{write_expect, Expectation};
use super::flow::{write_conntrack, Flow};
use crate::conntrack::Conntrack;
use crate::expect::Expect;
use crate::filter::EventFilter;
use crate::kernel::{
    NFNL_SUBSYS_CTNETLINK, NFNL_SUBSYS_CTNETLINK_EXP, NF_NETLINK_CONNTRACK_DESTROY,
    NF_NETLINK_CONNTRACK_EXP_DESTROY, NF_NETLINK_CONNTRACK_EXP_NEW,
    NF_NETLINK_CONNTRACK_EXP_UPDATE, NF_NETLINK_CONNTRACK_NEW, NF_NETLINK_CONNTRACK_UPDATE,
};
use crate::netlink::socket::Header;
use crate::query::dispatch::{msg_type, T_DESTROY, T_NEW, T_UPDATE};

bitflags! {
    /// The event groups to subscribe to.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Groups: u32 {
        /// New connections.
        const NEW = NF_NETLINK_CONNTRACK_NEW;
        /// Changed connections (state, mark, labels, ...).
        const UPDATE = NF_NETLINK_CONNTRACK_UPDATE;
        /// Removed connections.
        const DESTROY = NF_NETLINK_CONNTRACK_DESTROY;
        /// New expectations.
        const EXP_NEW = NF_NETLINK_CONNTRACK_EXP_NEW;
        /// Changed expectations.
        const EXP_UPDATE = NF_NETLINK_CONNTRACK_EXP_UPDATE;
        /// Removed expectations.
        const EXP_DESTROY = NF_NETLINK_CONNTRACK_EXP_DESTROY;
        /// Every connection event.
        const CONNTRACK = Self::NEW.bits() | Self::UPDATE.bits() | Self::DESTROY.bits();
        /// Every expectation event.
        const EXPECT = Self::EXP_NEW.bits() | Self::EXP_UPDATE.bits() | Self::EXP_DESTROY.bits();
    }
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum EventKind {
    /// Created (`NFCT_T_NEW`).
    New,
    /// Changed (`NFCT_T_UPDATE`).
    Update,
    /// Removed (`NFCT_T_DESTROY`).
    Destroy,
}

impl EventKind {
    fn msg_type(self) -> u32 {
        match self {
            EventKind::New => T_NEW,
            EventKind::Update => T_UPDATE,
            EventKind::Destroy => T_DESTROY,
        }
    }
}

/// An event: a connection or an expectation that was created, changed or
/// removed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Event {
    /// A connection event.
    Flow {
        /// What happened.
        kind: EventKind,
        /// The connection.
        flow: Flow,
    },
    /// An expectation event.
    Expectation {
        /// What happened.
        kind: EventKind,
        /// The expectation.
        expectation: Expectation,
    },
}

impl Event {
    /// What happened.
    pub fn kind(&self) -> EventKind {
        match self {
            Event::Flow { kind, .. } | Event::Expectation { kind, .. } => *kind,
        }
    }

    /// The connection, for a connection event.
    pub fn flow(&self) -> Option<&Flow> {
        match self {
            Event::Flow { flow, .. } => Some(flow),
            Event::Expectation { .. } => None,
        }
    }
}

impl fmt::Display for Event {
    /// The text of `nfct_snprintf` (`nfexp_snprintf`) with the event's
    /// message type: `    [NEW] tcp      6 ...`, as `conntrack -E` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Flow { kind, flow } => {
                write_conntrack(f, &Conntrack::from(flow), kind.msg_type())
            }
            Event::Expectation { kind, expectation } => {
                write_expect(f, &Expect::from(expectation), kind.msg_type())
            }
        }
    }
}

/// A subscription to conntrack events.
///
/// Iterating blocks until the next event; with [`Events::set_timeout`]
/// iteration ends when none comes in time. A receive buffer overrun (the
/// program read too slowly and the kernel dropped events) yields an error
/// with errno `ENOBUFS`; iteration can go on after it.
///
/// With `net.netfilter.nf_conntrack_events = 2` (the kernel's default)
/// an entry gets events only if some event socket was listening when it
/// was created: entries made while nobody listened never report their
/// updates or their destruction, whoever subscribes later.
///
/// ```no_run
/// use netfilter_conntrack::ctnetlink::{Event, Events, Groups};
///
/// let mut events = Events::open(Groups::NEW | Groups::DESTROY)?;
/// for event in &mut events {
///     match event? {
///         Event::Flow { kind, flow } => println!("{kind:?} {flow}"),
///         Event::Expectation { .. } => {}
///     }
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Events {
    conn: Conn,
}

impl Events {
    /// Subscribes to `groups` in the calling thread's network namespace.
    pub fn open(groups: Groups) -> Result<Events> {
        Events::open_with(groups, None)
    }

    /// Subscribes to `groups` in network namespace `netns` (see
    /// [`super::Handle::open_in`] for how).
    pub fn open_in(groups: Groups, netns: impl AsFd) -> Result<Events> {
        Events::open_with(groups, Some(netns.as_fd()))
    }

    pub(crate) fn open_with(groups: Groups, netns: Option<BorrowedFd<'_>>) -> Result<Events> {
        let sock = open_socket(groups.bits(), netns)?;
        Ok(Events {
            conn: Conn::new(sock),
        })
    }

    /// Lets only the events `filter` accepts through, filtered in the
    /// kernel by a BPF program attached to the socket (what
    /// `nfct_filter_attach` does). Replaces an earlier filter.
    ///
    /// ```no_run
    /// use netfilter_conntrack::ctnetlink::{Events, Groups};
    /// use netfilter_conntrack::filter::{EventFilter, Value};
    ///
    /// let mut tcp_only = EventFilter::new();
    /// tcp_only.add(Value::L4Proto(libc::IPPROTO_TCP));
    /// let events = Events::open(Groups::CONNTRACK)?;
    /// events.set_filter(&tcp_only)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_filter(&self, filter: &EventFilter) -> Result<()> {
        let prog = crate::filter::compile(filter)?;
        Ok(self.conn.sock.attach_filter(&prog)?)
    }

    /// Removes the filter (`ENOENT` if there is none).
    pub fn clear_filter(&self) -> Result<()> {
        Ok(self.conn.sock.detach_filter()?)
    }

    /// Waits at most `timeout` for each datagram (`None`: forever).
    pub fn set_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        let tv = TimeVal::from(timeout.map_or(
            libc::timeval {
                tv_sec: 0,
                tv_usec: 0,
            },
            |d| {
                libc::timeval {
                    tv_sec: d.as_secs() as libc::time_t,
                    // At least 1 µs: 0 would mean forever.
                    tv_usec: libc::suseconds_t::from(
                        d.subsec_micros().max(u32::from(d.as_secs() == 0)),
                    ),
                }
            },
        ));
        setsockopt(&self.conn, sockopt::ReceiveTimeout, &tv)?;
        Ok(())
    }

    /// Sets the kernel's receive buffer for events, bytes (privileged
    /// callers may exceed the system maximum); returns the size in effect.
    pub fn set_receive_buffer(&self, bytes: usize) -> Result<usize> {
        Ok(self.conn.sock.set_rcvbuf(bytes)?)
    }

    /// The next event: `Ok(None)` when the timeout passed (or, on a
    /// non-blocking socket, when there is none).
    pub fn recv(&mut self) -> Result<Option<Event>> {
        loop {
            let r = match self.conn.next_msg(None) {
                Ok(r) => r,
                Err(e) if e.is_timeout() => return Ok(None),
                Err(e) => return Err(e),
            };
            let m = self.conn.msg(r);
            match classify(m) {
                Reply::Data => {}
                Reply::Skip | Reply::End => continue,
                Reply::Error(e) => return Err(e),
            }
            let Some(h) = Header::parse(m) else { continue };
            let kind = match msg_type(&h) {
                T_NEW => EventKind::New,
                T_UPDATE => EventKind::Update,
                T_DESTROY => EventKind::Destroy,
                _ => continue,
            };
            let subsys = (h.kind >> 8) as u8;
            let event = if subsys == NFNL_SUBSYS_CTNETLINK {
                let mut ct = Conntrack::new();
                crate::conntrack::parse::message(m, &mut ct)?;
                Event::Flow {
                    kind,
                    flow: Flow::try_from(&ct)?,
                }
            } else if subsys == NFNL_SUBSYS_CTNETLINK_EXP {
                let mut x = Expect::new();
                crate::expect::parse::message(m, &mut x)?;
                Event::Expectation {
                    kind,
                    expectation: Expectation::try_from(&x)?,
                }
            } else {
                continue;
            };
            return Ok(Some(event));
        }
    }
}

impl Iterator for Events {
    type Item = Result<Event>;

    fn next(&mut self) -> Option<Result<Event>> {
        self.recv().transpose()
    }
}

impl AsFd for Events {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.conn.as_fd()
    }
}
