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

/// The whole per-release table of x64 `Nt*` system calls (`data/windows-x64-nt-all-releases.csv`,
/// j00ru's `nt.csv`): one column per release, Windows XP to Windows 11 25H2, and for each call its
/// number in each release, `None` where the release has no such call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllReleases {
    /// `(os, version)` of each column, as [`Release`] spells them (`Windows 10`, `1507`).
    pub releases: Vec<(String, String)>,
    /// `(name, number in each release)`, sorted by name.
    pub calls: Vec<(String, Vec<Option<u32>>)>,
}

/// The file [`all_releases`] parses.
const ALL_RELEASES_CSV: &str = include_str!("../../../data/windows-x64-nt-all-releases.csv");

/// [`AllReleases`] of the embedded data (parsed on first use).
#[must_use]
pub fn all_releases() -> &'static AllReleases {
    static PARSED: std::sync::OnceLock<AllReleases> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| {
        parse_all_releases(ALL_RELEASES_CSV)
            .unwrap_or_else(|e| panic!("data/windows-x64-nt-all-releases.csv: {e}"))
    })
}

/// Parses the per-release CSV: a header `System call,<os> (<version>),…`, then one row per call
/// with a `0x`-prefixed hex number or nothing in each column.
fn parse_all_releases(text: &str) -> Result<AllReleases, String> {
    let mut lines = text.lines();
    let header = lines.next().ok_or("empty file")?;
    let mut columns = header.trim_end().split(',');
    if columns.next() != Some("System call") {
        return Err("line 1: expected `System call` first".to_owned());
    }
    let releases = columns
        .map(|c| {
            c.strip_suffix(')')
                .and_then(|c| c.split_once(" ("))
                .map(|(os, version)| (os.to_owned(), version.to_owned()))
                .ok_or_else(|| format!("line 1: `{c}` is not `<os> (<version>)`"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut calls = Vec::new();
    for (index, line) in lines.enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        let mut fields = line.split(',');
        let name = fields.next().unwrap_or_default().to_owned();
        let numbers = fields
            .map(|f| match f {
                "" => Ok(None),
                _ => f
                    .strip_prefix("0x")
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .map(Some)
                    .ok_or_else(|| format!("line {}: `{f}` is not 0x-prefixed hex", index + 2)),
            })
            .collect::<Result<Vec<_>, _>>()?;
        if numbers.len() != releases.len() {
            return Err(format!(
                "line {}: {} numbers for {} releases",
                index + 2,
                numbers.len(),
                releases.len()
            ));
        }
        calls.push((name, numbers));
    }
    calls.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(AllReleases { releases, calls })
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

    #[test]
    fn all_releases_agree_with_the_per_build_table() {
        let all = all_releases();
        assert_eq!(all.releases.len(), 35);
        assert_eq!(all.calls.len(), 506);
        assert_eq!(
            all.releases[13],
            ("Windows 10".to_owned(), "1507".to_owned())
        );
        // every number of the 20-function table is the same in the whole table
        for known in builds() {
            for release in known.releases {
                let column = all
                    .releases
                    .iter()
                    .position(|(os, v)| os == release.os && v == release.version)
                    .unwrap_or_else(|| panic!("{release:?} has no column"));
                for &(name, number) in known.numbers {
                    let (_, numbers) = all.calls.iter().find(|(n, _)| n == name).unwrap();
                    assert_eq!(numbers[column], Some(number), "{name} in {release:?}");
                }
            }
        }
        assert!(parse_all_releases("System call,Windows 10 (1507)\nNtClose,0xf,0x1\n").is_err());
        assert!(parse_all_releases("System call,Windows 10\n").is_err());
    }
}
