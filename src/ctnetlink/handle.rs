//! [`Handle`]: queries to the conntrack table (get, create, update,
//! delete, flush, dumps), expectations and statistics, and [`Dump`], the
//! streaming iterator over a dump.
#![forbid(unsafe_code)]

use std::marker::PhantomData;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use super::conn::{bare_request, classify, open_socket, Conn, Reply};
use super::error::{Error, Result};
use super::events::{Events, Groups};
use super::expectation::Expectation;
use super::flow::{tuple_to_core, Flow, Tuple};
use super::stats::{self, CpuStats, ExpectCpuStats, Stats};
use crate::conntrack::Conntrack;
use crate::expect::Expect;
use crate::filter::dump::DumpFilter;
use crate::kernel::{
    AF_UNSPEC, IPCTNL_MSG_CT_GET_STATS, IPCTNL_MSG_CT_GET_STATS_CPU, IPCTNL_MSG_EXP_GET_STATS_CPU,
    NFNL_SUBSYS_CTNETLINK, NFNL_SUBSYS_CTNETLINK_EXP, NLM_F_DUMP,
};
use crate::query::{self, Built, CtData, ExpData, Query};

/// A ctnetlink handle: one netlink socket for queries.
///
/// Requests are answered in order; a [`Dump`] borrows the handle until it
/// is consumed or dropped. Events arrive on a separate socket, see
/// [`Handle::subscribe`].
///
/// ```no_run
/// use netfilter_conntrack::ctnetlink::{Flow, Handle, Protocol, TcpState, Tuple};
///
/// let mut h = Handle::open()?;
/// let orig = Tuple::new(Protocol::Tcp, "192.0.2.1:40000".parse()?, "192.0.2.2:80".parse()?);
/// h.create(&Flow::builder(orig).tcp_state(TcpState::Established).timeout(60).build())?;
/// h.update(&Flow::update(orig).mark(1).build())?;
/// assert_eq!(h.get(&orig)?.mark, Some(1));
/// for flow in h.dump()? {
///     println!("{}", flow?);
/// }
/// h.delete(&orig)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Handle {
    conn: Conn,
    netns: Option<OwnedFd>,
}

fn parse_flow(m: &[u8]) -> crate::Result<Flow> {
    let mut ct = Conntrack::new();
    crate::conntrack::parse::message(m, &mut ct)?;
    Flow::try_from(&ct)
}

fn parse_expectation(m: &[u8]) -> crate::Result<Expectation> {
    let mut x = Expect::new();
    crate::expect::parse::message(m, &mut x)?;
    Expectation::try_from(&x)
}

/// A query whose builder may find nothing to send.
fn built(r: crate::Result<Built>) -> crate::Result<()> {
    match r? {
        Built::Message => Ok(()),
        Built::Empty => Err(crate::Error::InvalidArgument),
    }
}

impl Handle {
    /// Opens a handle in the calling thread's network namespace.
    pub fn open() -> Result<Handle> {
        Ok(Handle {
            conn: Conn::new(open_socket(0, None)?),
            netns: None,
        })
    }

    /// Opens a handle in the network namespace `netns` (a descriptor of
    /// `/proc/PID/ns/net` or `/run/netns/NAME`), without moving the calling
    /// thread: a short-lived thread joins the namespace, opens the socket
    /// and ends. The socket stays in that namespace for its whole life.
    /// Sockets opened later by [`Handle::subscribe`] go there too.
    ///
    /// ```no_run
    /// use netfilter_conntrack::ctnetlink::Handle;
    /// let ns = std::fs::File::open("/run/netns/blue")?;
    /// let mut h = Handle::open_in(&ns)?;
    /// println!("{} entries", h.stats()?.entries);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_in(netns: impl AsFd) -> Result<Handle> {
        let fd = netns.as_fd();
        let sock = open_socket(0, Some(fd))?;
        Ok(Handle {
            conn: Conn::new(sock),
            netns: Some(
                fd.try_clone_to_owned()
                    .map_err(|e| crate::Error::Os(e.raw_os_error().unwrap_or(libc::EBADF)))?,
            ),
        })
    }

    /// The netlink port id of the handle's socket.
    pub fn portid(&self) -> u32 {
        self.conn.sock.portid()
    }

    /// Subscribes to the events of `groups` on a new socket, in the same
    /// network namespace as this handle.
    ///
    /// ```no_run
    /// use netfilter_conntrack::ctnetlink::{Groups, Handle};
    ///
    /// let h = Handle::open()?;
    /// let mut events = h.subscribe(Groups::DESTROY)?;
    /// if let Some(event) = events.recv()? {
    ///     println!("{event}");
    /// }
    /// # Ok::<(), netfilter_conntrack::ctnetlink::Error>(())
    /// ```
    pub fn subscribe(&self, groups: Groups) -> Result<Events> {
        Events::open_with(groups, self.netns.as_ref().map(|f| f.as_fd()))
    }

    fn ct_query(&mut self, q: Query, data: CtData<'_>, mut on: impl FnMut(Flow)) -> Result<()> {
        self.conn.request(
            |out| built(query::conntrack(q, data, out)),
            |m| {
                on(parse_flow(m)?);
                Ok(())
            },
        )
    }

    /// The entry whose original (or, without one, reply) tuple is `orig`
    /// (`IPCTNL_MSG_CT_GET`). `ENOENT` when there is none.
    pub fn get(&mut self, orig: &Tuple) -> Result<Flow> {
        self.get_flow(&Flow::new(*orig))
    }

    /// The entry that `key` identifies: its original tuple plus, where
    /// needed, its zone (`Flow::zone`) or id.
    pub fn get_flow(&mut self, key: &Flow) -> Result<Flow> {
        let ct = Conntrack::from(key);
        let mut found = None;
        self.ct_query(Query::Get, CtData::Object(&ct), |f| found = Some(f))?;
        found.ok_or_else(|| crate::Error::Os(libc::ENOENT).into())
    }

    /// Creates an entry (`IPCTNL_MSG_CT_NEW` with `NLM_F_CREATE |
    /// NLM_F_EXCL`): `EEXIST` if it exists. The kernel needs both tuples, a
    /// timeout, and for TCP a state.
    pub fn create(&mut self, flow: &Flow) -> Result<()> {
        self.ct_query(
            Query::Create,
            CtData::Object(&Conntrack::from(flow)),
            |_| {},
        )
    }

    /// Creates the entry or updates it if it exists.
    pub fn create_or_update(&mut self, flow: &Flow) -> Result<()> {
        let ct = Conntrack::from(flow);
        self.ct_query(Query::CreateUpdate, CtData::Object(&ct), |_| {})
    }

    /// Updates an existing entry (`IPCTNL_MSG_CT_NEW` without
    /// `NLM_F_CREATE`): what `flow` sets (mark, timeout, status, labels,
    /// protocol state, ...) changes; `ENOENT` if there is no such entry.
    pub fn update(&mut self, flow: &Flow) -> Result<()> {
        self.ct_query(
            Query::Update,
            CtData::Object(&Conntrack::from(flow)),
            |_| {},
        )
    }

    /// Deletes the entry with original tuple `orig` (`ENOENT` if none).
    pub fn delete(&mut self, orig: &Tuple) -> Result<()> {
        self.delete_flow(&Flow::new(*orig))
    }

    /// Deletes the entry `key` identifies (tuple, zone, id).
    pub fn delete_flow(&mut self, key: &Flow) -> Result<()> {
        self.ct_query(
            Query::Destroy,
            CtData::Object(&Conntrack::from(key)),
            |_| {},
        )
    }

    /// Deletes every entry of every family.
    pub fn flush(&mut self) -> Result<()> {
        self.ct_query(Query::Flush, CtData::Family(u32::from(AF_UNSPEC)), |_| {})
    }

    /// Deletes the entries that match `filter` (mark, status, zone,
    /// family; a tuple is `NotSupported`, as upstream).
    pub fn flush_filtered(&mut self, filter: &DumpFilter) -> Result<()> {
        self.ct_query(Query::FlushFilter, CtData::Filter(filter), |_| {})
    }

    /// Streams the whole table, every family. See [`Dump`].
    pub fn dump(&mut self) -> Result<Dump<'_, Flow>> {
        let seq = self
            .conn
            .send(|out| built(query::conntrack(Query::Dump, CtData::Family(0), out)))?;
        Ok(Dump::new(&mut self.conn, seq, parse_flow))
    }

    /// Streams the entries that match `filter`: the kernel filters.
    ///
    /// ```no_run
    /// use netfilter_conntrack::ctnetlink::Handle;
    /// use netfilter_conntrack::filter::dump::{DumpFilter, Value};
    /// use netfilter_conntrack::filter::MarkMatch;
    ///
    /// let mut filter = DumpFilter::new();
    /// filter.set(Value::Mark(MarkMatch { val: 1, mask: 0xff }));
    /// let mut h = Handle::open()?;
    /// let marked = h.dump_filtered(&filter)?.collect::<Result<Vec<_>, _>>()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn dump_filtered(&mut self, filter: &DumpFilter) -> Result<Dump<'_, Flow>> {
        let seq = self.conn.send(|out| {
            built(query::conntrack(
                Query::DumpFilter,
                CtData::Filter(filter),
                out,
            ))
        })?;
        Ok(Dump::new(&mut self.conn, seq, parse_flow))
    }

    /// Streams the table and zeroes the counters of what it reports.
    pub fn dump_and_reset_counters(&mut self) -> Result<Dump<'_, Flow>> {
        let seq = self
            .conn
            .send(|out| built(query::conntrack(Query::DumpReset, CtData::Family(0), out)))?;
        Ok(Dump::new(&mut self.conn, seq, parse_flow))
    }

    fn exp_query(
        &mut self,
        q: Query,
        data: ExpData<'_>,
        mut on: impl FnMut(Expectation),
    ) -> Result<()> {
        self.conn.request(
            |out| built(query::expect(q, data, out)),
            |m| {
                on(parse_expectation(m)?);
                Ok(())
            },
        )
    }

    /// The expectation `key` identifies (its expected tuple).
    pub fn get_expectation(&mut self, key: &Expectation) -> Result<Expectation> {
        let x = Expect::from(key);
        let mut found = None;
        self.exp_query(Query::Get, ExpData::Object(&x), |e| found = Some(e))?;
        found.ok_or_else(|| crate::Error::Os(libc::ENOENT).into())
    }

    /// Creates an expectation. Its master must exist and have a helper
    /// (`ENOENT` or `EOPNOTSUPP` otherwise).
    ///
    /// ```no_run
    /// use netfilter_conntrack::ctnetlink::{Expectation, Flow, Handle, Protocol, TcpState, Tuple};
    ///
    /// let t = |s: &str, d: &str| -> Result<Tuple, std::net::AddrParseError> {
    ///     Ok(Tuple::new(Protocol::Tcp, s.parse()?, d.parse()?))
    /// };
    /// let mut h = Handle::open()?;
    /// let master = t("192.0.2.1:1000", "192.0.2.2:21")?;
    /// h.create(&Flow::builder(master).tcp_state(TcpState::Established).timeout(600).helper("ftp").build())?;
    /// let exp = Expectation::new(
    ///     master,
    ///     t("192.0.2.2:0", "192.0.2.1:3000")?,
    ///     t("255.255.255.255:0", "255.255.255.255:65535")?,
    /// )
    /// .timeout(300);
    /// h.create_expectation(&exp)?;
    /// for e in h.dump_expectations()? {
    ///     println!("{}", e?);
    /// }
    /// h.delete_expectation(&exp)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// Besides what `nfexp_query` sends, the class, NAT and expectation
    /// function are sent too when set (upstream's encoder leaves them out).
    pub fn create_expectation(&mut self, exp: &Expectation) -> Result<()> {
        let x = Expect::from(exp);
        self.conn.request(
            |out| {
                built(query::expect(Query::Create, ExpData::Object(&x), out))?;
                put_expect_extras(exp, out)
            },
            |_| Ok(()),
        )
    }

    /// Deletes the expectation `key` identifies.
    pub fn delete_expectation(&mut self, key: &Expectation) -> Result<()> {
        self.exp_query(Query::Destroy, ExpData::Object(&Expect::from(key)), |_| {})
    }

    /// Deletes every expectation.
    pub fn flush_expectations(&mut self) -> Result<()> {
        self.exp_query(Query::Flush, ExpData::Family(AF_UNSPEC), |_| {})
    }

    /// Streams the expectation table.
    pub fn dump_expectations(&mut self) -> Result<Dump<'_, Expectation>> {
        let seq = self
            .conn
            .send(|out| built(query::expect(Query::Dump, ExpData::Family(AF_UNSPEC), out)))?;
        Ok(Dump::new(&mut self.conn, seq, parse_expectation))
    }

    /// The number of entries and the table's limit
    /// (`IPCTNL_MSG_CT_GET_STATS`).
    ///
    /// ```no_run
    /// use netfilter_conntrack::ctnetlink::Handle;
    ///
    /// let mut h = Handle::open()?;
    /// let s = h.stats()?;
    /// println!("{} of {} entries in use", s.entries, s.max_entries);
    /// for cpu in h.cpu_stats()? {
    ///     println!("cpu {}: {} inserted, {} dropped", cpu.cpu, cpu.insert, cpu.drop);
    /// }
    /// # Ok::<(), netfilter_conntrack::ctnetlink::Error>(())
    /// ```
    pub fn stats(&mut self) -> Result<Stats> {
        let mut s = None;
        self.conn.request(
            |out| {
                bare_request(
                    out,
                    NFNL_SUBSYS_CTNETLINK,
                    IPCTNL_MSG_CT_GET_STATS,
                    0,
                    AF_UNSPEC,
                )
            },
            |m| {
                s = Some(stats::parse_global(m)?);
                Ok(())
            },
        )?;
        s.ok_or_else(|| crate::Error::Malformed.into())
    }

    /// The counters of each CPU (`IPCTNL_MSG_CT_GET_STATS_CPU`).
    pub fn cpu_stats(&mut self) -> Result<Vec<CpuStats>> {
        let mut v = Vec::new();
        self.conn.request(
            |out| {
                bare_request(
                    out,
                    NFNL_SUBSYS_CTNETLINK,
                    IPCTNL_MSG_CT_GET_STATS_CPU,
                    NLM_F_DUMP,
                    AF_UNSPEC,
                )
            },
            |m| {
                v.push(stats::parse_cpu(m)?);
                Ok(())
            },
        )?;
        Ok(v)
    }

    /// The expectation counters of each CPU
    /// (`IPCTNL_MSG_EXP_GET_STATS_CPU`).
    pub fn expectation_cpu_stats(&mut self) -> Result<Vec<ExpectCpuStats>> {
        let mut v = Vec::new();
        self.conn.request(
            |out| {
                bare_request(
                    out,
                    NFNL_SUBSYS_CTNETLINK_EXP,
                    IPCTNL_MSG_EXP_GET_STATS_CPU,
                    NLM_F_DUMP,
                    AF_UNSPEC,
                )
            },
            |m| {
                v.push(stats::parse_expect_cpu(m)?);
                Ok(())
            },
        )?;
        Ok(v)
    }
}

impl AsFd for Handle {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.conn.as_fd()
    }
}

/// A dump in progress: yields the entries as the kernel sends them.
///
/// The whole table is never held in memory: the dump reads one datagram
/// at a time into the handle's one receive buffer (32 KiB) and parses each
/// entry when it is asked for. An entry the library cannot read yields an
/// `Err` and the dump goes on; an error of the kernel or of the socket
/// ends it. Dropping a dump before its end reads and drops the rest, so
/// that the handle is ready for the next request.
#[derive(Debug)]
pub struct Dump<'h, T> {
    conn: &'h mut Conn,
    seq: u32,
    done: bool,
    parse: fn(&[u8]) -> crate::Result<T>,
    _item: PhantomData<T>,
}

impl<'h, T> Dump<'h, T> {
    fn new(conn: &'h mut Conn, seq: u32, parse: fn(&[u8]) -> crate::Result<T>) -> Self {
        Dump {
            conn,
            seq,
            done: false,
            parse,
            _item: PhantomData,
        }
    }
}

impl<T> Iterator for Dump<'_, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        while !self.done {
            let r = match self.conn.next_msg(Some(self.seq)) {
                Ok(r) => r,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            let m = self.conn.msg(r);
            match classify(m) {
                Reply::Data => return Some((self.parse)(m).map_err(Error::from)),
                Reply::Skip => {}
                Reply::End => self.done = true,
                Reply::Error(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

impl<T> Drop for Dump<'_, T> {
    fn drop(&mut self) {
        if !self.done {
            self.conn.drain(self.seq);
        }
    }
}

/// Appends `CTA_EXPECT_CLASS`, `CTA_EXPECT_NAT` and `CTA_EXPECT_FN` to the
/// expectation request in `out`, and updates its length.
fn put_expect_extras(exp: &Expectation, out: &mut Vec<u8>) -> crate::Result<()> {
    use crate::kernel::{
        CTA_EXPECT_CLASS, CTA_EXPECT_FN, CTA_EXPECT_NAT, CTA_EXPECT_NAT_DIR, CTA_EXPECT_NAT_TUPLE,
    };
    use crate::netlink::attr::AttrWriter;
    let mut w = AttrWriter::new(out);
    if let Some(c) = exp.class {
        w.put_be32(CTA_EXPECT_CLASS, c)?;
    }
    if let Some(nat) = &exp.nat {
        let nest = w.nest_start(CTA_EXPECT_NAT)?;
        w.put_be32(CTA_EXPECT_NAT_DIR, nat.dir)?;
        let ct = tuple_to_core(&nat.tuple);
        crate::conntrack::build::put_tuple(&mut w, &ct.head.orig, CTA_EXPECT_NAT_TUPLE)?;
        w.nest_end(nest)?;
    }
    if let Some(f) = &exp.function {
        w.put_str(CTA_EXPECT_FN, f.as_bytes())?;
    }
    let len = u32::try_from(out.len()).map_err(|_| crate::Error::NoSpace)?;
    out.get_mut(..4)
        .ok_or(crate::Error::Malformed)?
        .copy_from_slice(&len.to_ne_bytes());
    Ok(())
}

/// A dump filter for the entries whose original tuple matches `orig`
/// (addresses, protocol, ports or ICMP fields; the kernel compares the
/// fields the tuple has).
///
/// ```no_run
/// use netfilter_conntrack::ctnetlink::{tuple_filter, Handle, Protocol, Tuple};
///
/// let web = Tuple::new(Protocol::Tcp, "192.0.2.1:40000".parse()?, "192.0.2.2:80".parse()?);
/// let mut h = Handle::open()?;
/// let n = h.dump_filtered(&tuple_filter(&web))?.count();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tuple_filter(orig: &Tuple) -> DumpFilter {
    let mut f = DumpFilter::new();
    f.set(crate::filter::dump::Value::Tuple(Box::new(tuple_to_core(
        orig,
    ))));
    f
}
