//! A small command-line tool over the Skills API, built on the generated client.
//!
//! ```text
//! cargo run -p anthropic-skills --example skills -- list [--source S] [--limit N] [--all]
//! cargo run -p anthropic-skills --example skills -- get SKILL_ID
//! cargo run -p anthropic-skills --example skills -- create DIR [--title TITLE]
//! cargo run -p anthropic-skills --example skills -- delete SKILL_ID
//! cargo run -p anthropic-skills --example skills -- versions list SKILL_ID [--limit N] [--all]
//! cargo run -p anthropic-skills --example skills -- versions create SKILL_ID DIR
//! cargo run -p anthropic-skills --example skills -- versions get SKILL_ID VERSION
//! cargo run -p anthropic-skills --example skills -- versions delete SKILL_ID VERSION
//! ```
//!
//! Configuration comes from the environment: `ANTHROPIC_API_KEY` (or
//! `ANTHROPIC_AUTH_TOKEN`) and optionally `ANTHROPIC_BASE_URL`, e.g.
//! `http://127.0.0.1:4010` for a local mock server.
//!
//! Results are printed as JSON on stdout. With `--all`, every item of every page
//! is printed as one JSON object per line. Failures print the error (status,
//! error type, message, request id) on stderr and exit with status 1; usage
//! errors exit with status 2.

use std::process::ExitCode;

use anthropic_skills::{
    Client, CreateSkillParams, CreateSkillRequest, CreateSkillVersionParams,
    CreateSkillVersionRequest, DeleteSkillParams, DeleteSkillVersionParams, Error, GetSkillParams,
    GetSkillVersionParams, ListSkillVersionsParams, ListSkillsParams, upload,
};
use futures::StreamExt;
use serde::Serialize;

const USAGE: &str = "\
usage: skills <command> [arguments]

commands:
  list [--source S] [--limit N] [--all]     list skills (one page, or every item with --all)
  get SKILL_ID                              show one skill
  create DIR [--title TITLE]                create a skill from the files under DIR
  delete SKILL_ID                           delete a skill
  versions list SKILL_ID [--limit N] [--all]
                                            list a skill's versions
  versions create SKILL_ID DIR              upload a new version from the files under DIR
  versions get SKILL_ID VERSION             show one version
  versions delete SKILL_ID VERSION          delete one version

environment:
  ANTHROPIC_API_KEY      API key (or ANTHROPIC_AUTH_TOKEN for a bearer token)
  ANTHROPIC_BASE_URL     server to talk to (default https://api.anthropic.com)";

/// A parsed command line.
#[derive(Debug)]
enum Command {
    Help,
    List {
        source: Option<String>,
        limit: Option<i64>,
        all: bool,
    },
    Get {
        skill_id: String,
    },
    Create {
        dir: String,
        title: Option<String>,
    },
    Delete {
        skill_id: String,
    },
    VersionsList {
        skill_id: String,
        limit: Option<i64>,
        all: bool,
    },
    VersionsCreate {
        skill_id: String,
        dir: String,
    },
    VersionsGet {
        skill_id: String,
        version: String,
    },
    VersionsDelete {
        skill_id: String,
        version: String,
    },
}

/// Positional arguments and the options a command accepts.
struct Parsed {
    positional: Vec<String>,
    source: Option<String>,
    limit: Option<i64>,
    title: Option<String>,
    all: bool,
}

/// Splits `args` into positionals and options, refusing options not in `allowed`.
fn parse_options(args: &[String], allowed: &[&str]) -> Result<Parsed, String> {
    let mut parsed = Parsed {
        positional: Vec::new(),
        source: None,
        limit: None,
        title: None,
        all: false,
    };
    let mut iter = args.iter();
    let mut only_positional = false;
    while let Some(arg) = iter.next() {
        if only_positional || !arg.starts_with("--") {
            parsed.positional.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_positional = true;
            continue;
        }
        // Accept both `--opt value` and `--opt=value`.
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        if !allowed.contains(&name) {
            return Err(format!("unknown option `{name}`"));
        }
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => iter
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("option `{name}` needs a value")),
            }
        };
        match name {
            "--all" => {
                if inline.is_some() {
                    return Err("option `--all` takes no value".to_owned());
                }
                parsed.all = true;
            }
            "--source" => parsed.source = Some(value(name)?),
            "--title" => parsed.title = Some(value(name)?),
            "--limit" => {
                let text = value(name)?;
                let limit =
                    text.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                        format!("`--limit` must be a positive integer, not `{text}`")
                    })?;
                parsed.limit = Some(limit);
            }
            _ => unreachable!("option list and match arms agree"),
        }
    }
    Ok(parsed)
}

/// Takes exactly `N` positional arguments, naming them in the error.
fn exactly<const N: usize>(parsed: Parsed, names: [&str; N]) -> Result<[String; N], String> {
    let count = parsed.positional.len();
    <[String; N]>::try_from(parsed.positional).map_err(|_| {
        format!(
            "expected {} argument(s) ({}), got {count}",
            N,
            names.join(" ")
        )
    })
}

fn parse_args(args: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err("missing command".to_owned());
    };
    match command.as_str() {
        "-h" | "--help" | "help" => Ok(Command::Help),
        "list" => {
            let p = parse_options(rest, &["--source", "--limit", "--all"])?;
            let (source, limit, all) = (p.source.clone(), p.limit, p.all);
            let [] = exactly(p, [])?;
            Ok(Command::List { source, limit, all })
        }
        "get" => {
            let [skill_id] = exactly(parse_options(rest, &[])?, ["SKILL_ID"])?;
            Ok(Command::Get { skill_id })
        }
        "create" => {
            let p = parse_options(rest, &["--title"])?;
            let title = p.title.clone();
            let [dir] = exactly(p, ["DIR"])?;
            Ok(Command::Create { dir, title })
        }
        "delete" => {
            let [skill_id] = exactly(parse_options(rest, &[])?, ["SKILL_ID"])?;
            Ok(Command::Delete { skill_id })
        }
        "versions" => {
            let Some((sub, rest)) = rest.split_first() else {
                return Err("missing `versions` subcommand (list, create, get, delete)".to_owned());
            };
            match sub.as_str() {
                "list" => {
                    let p = parse_options(rest, &["--limit", "--all"])?;
                    let (limit, all) = (p.limit, p.all);
                    let [skill_id] = exactly(p, ["SKILL_ID"])?;
                    Ok(Command::VersionsList {
                        skill_id,
                        limit,
                        all,
                    })
                }
                "create" => {
                    let [skill_id, dir] = exactly(parse_options(rest, &[])?, ["SKILL_ID", "DIR"])?;
                    Ok(Command::VersionsCreate { skill_id, dir })
                }
                "get" => {
                    let [skill_id, version] =
                        exactly(parse_options(rest, &[])?, ["SKILL_ID", "VERSION"])?;
                    Ok(Command::VersionsGet { skill_id, version })
                }
                "delete" => {
                    let [skill_id, version] =
                        exactly(parse_options(rest, &[])?, ["SKILL_ID", "VERSION"])?;
                    Ok(Command::VersionsDelete { skill_id, version })
                }
                other => Err(format!("unknown `versions` subcommand `{other}`")),
            }
        }
        other => Err(format!("unknown command `{other}`")),
    }
}

/// Prints one value as pretty JSON.
fn print_pretty<T: Serialize>(value: &T) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::InvalidArgument(format!("cannot print result as JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

/// Prints one value as a single JSON line.
fn print_line<T: Serialize>(value: &T) -> Result<(), Error> {
    let text = serde_json::to_string(value)
        .map_err(|e| Error::InvalidArgument(format!("cannot print result as JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

async fn run(command: Command) -> Result<(), Error> {
    let client = Client::from_env()?;
    match command {
        Command::Help => unreachable!("handled before a client is built"),
        Command::List { source, limit, all } => {
            let params = ListSkillsParams {
                source,
                limit,
                ..Default::default()
            };
            if all {
                let mut items = std::pin::pin!(client.list_skills_stream(params));
                while let Some(item) = items.next().await {
                    print_line(&item?)?;
                }
                Ok(())
            } else {
                print_pretty(&client.list_skills(params).await?)
            }
        }
        Command::Get { skill_id } => print_pretty(
            &client
                .get_skill(&skill_id, GetSkillParams::default())
                .await?,
        ),
        Command::Create { dir, title } => {
            let body = CreateSkillRequest {
                display_title: title,
                files: upload::from_dir(&dir)?,
            };
            print_pretty(
                &client
                    .create_skill(CreateSkillParams::default(), body)
                    .await?,
            )
        }
        Command::Delete { skill_id } => print_pretty(
            &client
                .delete_skill(&skill_id, DeleteSkillParams::default())
                .await?,
        ),
        Command::VersionsList {
            skill_id,
            limit,
            all,
        } => {
            let params = ListSkillVersionsParams {
                limit,
                ..Default::default()
            };
            if all {
                let mut items =
                    std::pin::pin!(client.list_skill_versions_stream(&skill_id, params));
                while let Some(item) = items.next().await {
                    print_line(&item?)?;
                }
                Ok(())
            } else {
                print_pretty(&client.list_skill_versions(&skill_id, params).await?)
            }
        }
        Command::VersionsCreate { skill_id, dir } => {
            let body = CreateSkillVersionRequest {
                files: upload::from_dir(&dir)?,
            };
            print_pretty(
                &client
                    .create_skill_version(&skill_id, CreateSkillVersionParams::default(), body)
                    .await?,
            )
        }
        Command::VersionsGet { skill_id, version } => print_pretty(
            &client
                .get_skill_version(&skill_id, &version, GetSkillVersionParams::default())
                .await?,
        ),
        Command::VersionsDelete { skill_id, version } => print_pretty(
            &client
                .delete_skill_version(&skill_id, &version, DeleteSkillVersionParams::default())
                .await?,
        ),
    }
}

/// The error on stderr: one summary line, then the details a bug report needs.
fn report(error: &Error) {
    eprintln!("error: {error}");
    if let Some(status) = error.status() {
        eprintln!("  status:     {}", status.as_u16());
    }
    if let Some(api) = error.api_error() {
        if let Some(kind) = &api.error_type {
            eprintln!("  type:       {kind}");
        }
        if let Some(message) = &api.message {
            eprintln!("  message:    {message}");
        }
    }
    if let Some(id) = error.request_id() {
        eprintln!("  request id: {id}");
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse_args(&args) {
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(command) => command,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            report(&error);
            ExitCode::FAILURE
        }
    }
}
