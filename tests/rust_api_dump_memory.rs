//! The dump iterator streams: over a table of thousands of entries, the
//! memory it holds stays that of its one receive buffer, not that of the
//! table. Alone in its test binary so that the allocation counter sees no
//! other test.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use netfilter_conntrack::ctnetlink::Handle;

/// Counts the bytes allocated and not yet freed, and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on as it is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on as it is.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const ENTRIES: u16 = 5000;

#[test]
fn dump_memory_stays_flat() {
    in_netns(|| {
        let mut h = Handle::open().unwrap();
        for port in 1..=ENTRIES {
            h.create(&udp_flow(port)).unwrap();
        }
        assert_eq!(h.stats().unwrap().entries, u32::from(ENTRIES));

        let base = LIVE.load(Ordering::SeqCst);
        PEAK.store(base, Ordering::SeqCst);
        let mut n = 0usize;
        let mut ports = 0u64;
        for flow in h.dump().unwrap() {
            let flow = flow.unwrap();
            ports += u64::from(flow.orig.ports().unwrap().1);
            n += 1;
        }
        let peak = PEAK.load(Ordering::SeqCst) - base;
        assert_eq!(n, usize::from(ENTRIES));
        assert_eq!(ports, (1..=u64::from(ENTRIES)).sum::<u64>());
        // Each entry is some 200 bytes on the wire and more as a Flow: the
        // table is over a megabyte, the dump holds a few kilobytes.
        assert!(peak < 64 * 1024, "the dump held {peak} bytes at its peak");
        eprintln!("{n} entries, peak {peak} bytes above the start");

        // The counter does see memory: holding the table is proportional.
        let all: Vec<_> = h.dump().unwrap().collect();
        let held = LIVE.load(Ordering::SeqCst) - base;
        assert!(held >= all.len() * std::mem::size_of_val(&all[0]), "{held}");
    });
}
