//! The README's promises: its two commands sit near the top, CI runs its test command,
//! and its main job does what it says.

use tento_tests::{cargo, hosts_target_dir, readme_commands, workspace_root};

fn readme() -> String {
    std::fs::read_to_string(workspace_root().join("README.md")).expect("README.md at the workspace root")
}

#[test]
fn the_two_commands_sit_near_the_top_of_the_readme() {
    let readme = readme();
    let main_job = readme.find("Main job").expect("a `Main job` heading");
    let tests = readme
        .find("Full test suite")
        .expect("a `Full test suite` heading");
    let first_lines: usize = readme.lines().take(40).map(|l| l.len() + 1).sum();
    assert!(
        main_job < first_lines && tests < first_lines,
        "both commands are in the first 40 lines"
    );
    assert!(!readme_commands(&readme, "Main job").is_empty());
    assert!(!readme_commands(&readme, "Full test suite").is_empty());
}

#[test]
fn ci_runs_the_readmes_test_command() {
    let ci = std::fs::read_to_string(workspace_root().join(".ci/run")).expect(".ci/run exists");
    for command in readme_commands(&readme(), "Full test suite") {
        assert!(ci.contains(&command), ".ci/run does not run `{command}`");
    }
}

#[test]
fn the_main_job_scaffolds_a_provider_into_a_host_that_builds_and_passes_its_tests() {
    let script = readme_commands(&readme(), "Main job").join("\n");
    assert!(
        script.contains("tento-scaffold -- init") && script.contains("tento-scaffold -- new"),
        "{script}"
    );
    // As a user runs it, from the checkout, sharing the end-to-end target directory so
    // the host's dependencies are not compiled once more.
    let out = std::process::Command::new("sh")
        .args(["-e", "-c", &script])
        .current_dir(workspace_root())
        .env("CARGO_TARGET_DIR", hosts_target_dir())
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the main job failed:\n{stdout}\n{stderr}");
    for row in ["activities", "sleep"] {
        let test = format!("{row}_syncs_and_reads_back_through_the_host ... ok");
        assert!(stdout.contains(&test), "{stdout}");
    }
    // The host's binary synced into its SQLite file and read the row back from it.
    let landed = stdout
        .lines()
        .find_map(|l| l.strip_suffix(" cells in the store"))
        .unwrap_or_else(|| panic!("a `… cells in the store` line:\n{stdout}"));
    let count: usize = landed.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(count > 200, "a year of activities lands in the store: {landed}");
    let cells: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("{\"id\":\"activities-"))
        .collect();
    assert_eq!(cells.len(), 2, "`cells` prints the row's cells:\n{stdout}");
}

#[test]
fn the_example_host_syncs_its_row_and_prints_the_store() {
    let out = cargo(&workspace_root(), &["run", "--quiet", "-p", "tento-example-host"]).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "main job failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("viewport: ") && stdout.contains("backfill: "),
        "{stdout}"
    );
    let landed = stdout
        .lines()
        .find(|l| l.starts_with("store: "))
        .expect("a `store:` line");
    let count: usize = landed["store: ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(count > 200, "a year of activities lands in the store: {landed}");
    assert!(stdout.contains("through RowKeys: found"), "{stdout}");
}

#[test]
fn the_sdk_against_a_local_api_runs_as_the_readme_says() {
    let commands = readme_commands(&readme(), "## Pointing a provider at the real API");
    assert_eq!(
        commands,
        ["cargo run -p tento-myprovider --example local_api"],
        "the section's first command"
    );
    let out = cargo(
        &workspace_root(),
        &[
            "run",
            "--quiet",
            "-p",
            "tento-myprovider",
            "--example",
            "local_api",
        ],
    )
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Three pages of 50, 50 and 20, after a 429 that was waited out.
    assert!(
        stdout.contains("120 activities in 4 requests (the first answered 429"),
        "{stdout}"
    );
}
