//! Sets the soname and writes the C headers in include/ with cbindgen.
//!
//! Each installed header is generated from one or more Rust files under
//! src/ffi/: the type and constant definitions in src/ffi/abi/, and for the
//! main header the `extern "C"` functions of src/ffi/*.rs.

use std::path::{Path, PathBuf};

/// One installed header: its file name, include guard, the Rust sources
/// cbindgen reads, and the headers it includes first.
struct Header {
    file: &'static str,
    guard: &'static str,
    sources: Vec<PathBuf>,
    sys_includes: &'static [&'static str],
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                // cbindgen follows mod.rs's `mod` items into the files
                // listed here: reading it too would declare everything twice.
                .filter(|p| p.file_name().is_some_and(|n| n != "mod.rs"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libnetfilter_conntrack.so.3");
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=build.rs");

    let abi = Path::new("src/ffi/abi");
    let mut main_sources = vec![abi.join("api.rs")];
    main_sources.extend(rust_files(Path::new("src/ffi")));

    let headers = vec![Header {
        file: "libnetfilter_conntrack.h",
        guard: "_LIBNETFILTER_CONNTRACK_H_",
        sources: main_sources,
        sys_includes: &[
            "stdbool.h",
            "netinet/in.h",
            "libnfnetlink/linux_nfnetlink.h",
            "libnfnetlink/libnfnetlink.h",
        ],
    }];

    for h in headers {
        generate(&h);
    }
}

fn generate(h: &Header) {
    let mut cfg = cbindgen::Config::from_file("cbindgen.toml").expect("cbindgen.toml");
    cfg.include_guard = Some(h.guard.to_string());
    cfg.sys_includes = h.sys_includes.iter().map(|s| s.to_string()).collect();
    let mut b = cbindgen::Builder::new().with_config(cfg);
    for s in &h.sources {
        b = b.with_src(s);
    }
    let out = Path::new("include/libnetfilter_conntrack").join(h.file);
    match b.generate() {
        Ok(bindings) => {
            bindings.write_to_file(out);
        }
        Err(e) => println!("cargo:warning=cbindgen failed for {}: {e}", h.file),
    }
}
