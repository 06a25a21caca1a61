//! The embedded table of known Windows builds.
//!
//! Generated at build time by `tiny-build/build.rs` from `tiny-build/data/windows-x64-syscalls.csv`
//! (provenance in `tiny-build/data/README.md`): j00ru's public per-release tables, 20 functions,
//! Windows Server 2003 to Windows 11 25H2. A table may be used only for the exact builds it lists;
//! [`lookup`] returns `None` for every other build, and callers must refuse rather than guess.

/// One Windows release (as the source names it) that has a given build number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Release {
    /// The product, e.g. `Windows 10` or `Windows 11 and Server`.
    pub os: &'static str,
    /// The release within the product, e.g. `22H2` or `Server 2025`.
    pub version: &'static str,
}

/// The syscall numbers of one build number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KnownBuild {
    /// The public build number (`NtBuildNumber & 0xFFFF`), e.g. 19045.
    pub build: u32,
    /// Every release in the source that has this build number, in the source's order.
    pub releases: &'static [Release],
    /// `(function, number)`, sorted by function name.
    pub numbers: &'static [(&'static str, u32)],
}

impl KnownBuild {
    /// The number of `function` in this build, if the table lists it.
    #[must_use]
    pub fn number(&self, function: &str) -> Option<u32> {
        self.numbers
            .binary_search_by(|(name, _)| (*name).cmp(function))
            .ok()
            .map(|i| self.numbers[i].1)
    }
}

include!(concat!(env!("OUT_DIR"), "/known_builds.rs"));

/// Every build in the table, ascending.
#[must_use]
pub fn builds() -> &'static [KnownBuild] {
    KNOWN_BUILDS
}

/// The table for exactly `build`, or `None` if the table does not list it.
#[must_use]
pub fn lookup(build: u32) -> Option<&'static KnownBuild> {
    KNOWN_BUILDS
        .binary_search_by_key(&build, |known| known.build)
        .ok()
        .map(|i| &KNOWN_BUILDS[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CSV, parsed here independently of build.rs: `(os, version, build, function, number)`.
    fn csv_rows() -> Vec<(String, String, u32, String, u32)> {
        let text = include_str!("../../../data/windows-x64-syscalls.csv");
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("os,version,build,function,number_hex"));
        lines
            .filter(|line| !line.is_empty())
            .map(|line| {
                let f: Vec<&str> = line.split(',').collect();
                assert_eq!(f.len(), 5, "{line}");
                let number = u32::from_str_radix(f[4].trim_start_matches("0x"), 16).unwrap();
                (
                    f[0].into(),
                    f[1].into(),
                    f[2].parse().unwrap(),
                    f[3].into(),
                    number,
                )
            })
            .collect()
    }

    #[test]
    fn generated_table_equals_the_csv() {
        let rows = csv_rows();
        assert_eq!(rows.len(), 600);
        // Every row is in the table, under its build and release.
        for (os, version, build, function, number) in &rows {
            let known = lookup(*build).unwrap_or_else(|| panic!("build {build} missing"));
            assert_eq!(
                known.number(function),
                Some(*number),
                "{os} {version} {function}"
            );
            assert!(
                known
                    .releases
                    .iter()
                    .any(|r| r.os == os && r.version == version),
                "{os} {version} missing from build {build}"
            );
        }
        // And the table holds nothing else.
        for known in builds() {
            for &(function, number) in known.numbers {
                assert!(
                    rows.iter()
                        .any(|r| r.2 == known.build && r.3 == function && r.4 == number),
                    "{function} {number:#x} in build {} is not in the CSV",
                    known.build
                );
            }
            for release in known.releases {
                assert!(
                    rows.iter()
                        .any(|r| r.0 == release.os && r.1 == release.version && r.2 == known.build)
                );
            }
        }
        let releases: usize = builds().iter().map(|b| b.releases.len()).sum();
        assert_eq!(releases, 30);
        assert!(builds().windows(2).all(|w| w[0].build < w[1].build));
        assert!(
            builds()
                .iter()
                .all(|b| b.numbers.windows(2).all(|w| w[0].0 < w[1].0))
        );
    }

    #[test]
    fn lookup_refuses_unknown_builds() {
        assert!(lookup(19045).is_some());
        assert_eq!(lookup(19045).unwrap().number("NtWriteFile"), Some(0x8));
        assert!(lookup(19046).is_none());
        assert!(lookup(0).is_none());
        assert_eq!(lookup(26100).unwrap().number("NtNoSuchFunction"), None);
    }
}
