package eol

// The table: facts about the support of common base images, each family
// with where its dates come from and the day they were checked. A date
// is the last day of support as the project states it; a release whose
// end is not announced has no date and is taken as supported. Extend the
// table by adding releases (newest first) with their source; never guess
// a date.
//
// What "end of life" means per family:
//   - Debian: the end of Debian LTS (free security updates), about five
//     years after the release; the images are rebuilt until then.
//   - Ubuntu: the end of standard support of an LTS release (five
//     years; Expanded Security Maintenance is paid and not in the
//     public images). Interim releases are not listed.
//   - Alpine: the end of support of the main repository (two years).
//   - Python: the end of security releases (five years).
//   - Node.js: the end of maintenance of a major release (even releases
//     30 months, odd ones 6 months).
//   - Go: a release is supported until the second newer one is out.
//   - OpenJDK: the openjdk official image was deprecated in July 2022;
//     its general-availability tags get no updates since. Its
//     successor is eclipse-temurin with the same Java version.

// checked is the day the table's entries were checked against their
// sources.
const checked = "2026-12-05"

// families are the image families the table knows.
var families = []Family{
	{
		Name: "debian", Images: []string{"debian"}, Kind: Distribution, Codenames: true,
		Source:  "Debian security and LTS pages (wiki.debian.org/LTS); endoflife.date/debian",
		Checked: checked,
		Releases: []Release{
			{Version: "13", Codename: "trixie", EOL: "2030-06-30"},
			{Version: "12", Codename: "bookworm", EOL: "2028-06-30"},
			{Version: "11", Codename: "bullseye", EOL: "2026-08-31"},
			{Version: "10", Codename: "buster", EOL: "2024-06-30"},
			{Version: "9", Codename: "stretch", EOL: "2022-06-30"},
			{Version: "8", Codename: "jessie", EOL: "2020-06-30"},
		},
	},
	{
		Name: "ubuntu", Images: []string{"ubuntu"}, Kind: Distribution, Codenames: true,
		Source:  "ubuntu.com/about/release-cycle (end of standard support); endoflife.date/ubuntu",
		Checked: checked,
		Releases: []Release{
			{Version: "24.04", Codename: "noble", EOL: "2029-05-31"},
			{Version: "22.04", Codename: "jammy", EOL: "2027-04-30"},
			{Version: "20.04", Codename: "focal", EOL: "2025-05-31"},
			{Version: "18.04", Codename: "bionic", EOL: "2023-05-31"},
			{Version: "16.04", Codename: "xenial", EOL: "2021-04-30"},
			{Version: "14.04", Codename: "trusty", EOL: "2019-04-30"},
		},
	},
	{
		Name: "alpine", Images: []string{"alpine"}, Kind: Distribution,
		Source:  "alpinelinux.org/releases (end of support of main); endoflife.date/alpine",
		Checked: checked,
		Releases: []Release{
			{Version: "3.23", EOL: "2027-11-01"},
			{Version: "3.22", EOL: "2027-05-01"},
			{Version: "3.21", EOL: "2026-11-01"},
			{Version: "3.20", EOL: "2026-04-01"},
			{Version: "3.19", EOL: "2025-11-01"},
			{Version: "3.18", EOL: "2025-05-09"},
			{Version: "3.17", EOL: "2024-11-22"},
			{Version: "3.16", EOL: "2024-05-23"},
			{Version: "3.15", EOL: "2023-11-01"},
			{Version: "3.14", EOL: "2023-05-01"},
			{Version: "3.13", EOL: "2022-11-01"},
			{Version: "3.12", EOL: "2022-05-01"},
		},
	},
	{
		Name: "python", Images: []string{"python"}, Kind: Language,
		Source:  "devguide.python.org/versions (python/devguide release-cycle.json); endoflife.date/python",
		Checked: checked,
		Releases: []Release{
			{Version: "3.14", EOL: "2030-10-31"},
			{Version: "3.13", EOL: "2029-10-31"},
			{Version: "3.12", EOL: "2028-10-31"},
			{Version: "3.11", EOL: "2027-10-31"},
			{Version: "3.10", EOL: "2026-10-31"},
			{Version: "3.9", EOL: "2025-10-31"},
			{Version: "3.8", EOL: "2024-10-07"},
			{Version: "3.7", EOL: "2023-06-27"},
			{Version: "3.6", EOL: "2021-12-23"},
			{Version: "2.7", EOL: "2020-01-01"},
		},
	},
	{
		Name: "node", Images: []string{"node"}, Kind: Language,
		Source:  "nodejs.org/en/about/previous-releases (github.com/nodejs/Release); endoflife.date/nodejs",
		Checked: checked,
		Releases: []Release{
			{Version: "24", EOL: "2028-04-30"},
			{Version: "23", EOL: "2025-06-01"},
			{Version: "22", EOL: "2027-04-30"},
			{Version: "21", EOL: "2024-06-01"},
			{Version: "20", EOL: "2026-04-30"},
			{Version: "19", EOL: "2023-06-01"},
			{Version: "18", EOL: "2025-04-30"},
			{Version: "17", EOL: "2022-06-01"},
			{Version: "16", EOL: "2023-09-11"},
			{Version: "14", EOL: "2023-04-30"},
			{Version: "12", EOL: "2022-04-30"},
			{Version: "10", EOL: "2021-04-30"},
			{Version: "8", EOL: "2019-12-31"},
		},
	},
	{
		Name: "golang", Images: []string{"golang"}, Kind: Language, Newest: true,
		Source:  "go.dev/doc/devel/release (release policy: the two newest releases are supported); endoflife.date/go",
		Checked: checked,
		Releases: []Release{
			{Version: "1.27"},
			{Version: "1.26"},
			{Version: "1.25", EOL: "2026-08-31", Note: "when Go 1.27 was released, August 2026"},
			{Version: "1.24", EOL: "2026-02-11"},
			{Version: "1.23", EOL: "2025-08-12"},
			{Version: "1.22", EOL: "2025-02-11"},
			{Version: "1.21", EOL: "2024-08-13"},
			{Version: "1.20", EOL: "2024-02-06"},
			{Version: "1.19", EOL: "2023-09-06"},
			{Version: "1.18", EOL: "2023-02-01"},
			{Version: "1.17", EOL: "2022-08-02"},
			{Version: "1.16", EOL: "2022-03-15"},
		},
	},
	{
		Name: "openjdk", Images: []string{"openjdk"}, Kind: Language, Deprecated: "eclipse-temurin",
		Source:  "hub.docker.com/_/openjdk deprecation notice (docker-library/openjdk#505): no updates to general-availability tags after July 2022",
		Checked: checked,
		Releases: []Release{
			{Version: "17", EOL: "2022-07-31"},
			{Version: "11", EOL: "2022-07-31"},
			{Version: "8", EOL: "2022-07-31"},
		},
	},
}

// temurinLTS are the Java versions eclipse-temurin still publishes
// (adoptium.net/support: 11 and 17 until at least October 2027, 21 until
// at least December 2029), checked on the same day.
var temurinLTS = map[string]bool{"8": true, "11": true, "17": true, "21": true, "25": true}

// distroPython is the Python 3 a release's python3 package installs
// (packages.debian.org, packages.ubuntu.com), checked on the same day.
var distroPython = map[string]string{
	"debian:10": "3.7", "debian:11": "3.9", "debian:12": "3.11", "debian:13": "3.13",
	"ubuntu:18.04": "3.6", "ubuntu:20.04": "3.8", "ubuntu:22.04": "3.10", "ubuntu:24.04": "3.12",
}

// pep668 are the first releases whose system Python refuses pip
// installs outside a virtual environment (PEP 668, "externally
// managed"): Debian 12, Ubuntu 23.04 (the first LTS: 24.04), Alpine
// 3.19.
var pep668 = map[string]string{"debian": "12", "ubuntu": "23.04", "alpine": "3.19"}
