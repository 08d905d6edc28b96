//! The `switchboard` binary: parse the command line, set up logging, run the
//! chosen command (serving by default).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use switchboard::app::App;
use switchboard::config::{bundled_content_dir, Overrides, Settings};
use switchboard::nlu::classifier::SvmParams;

/// mimalloc instead of glibc's malloc: every turn allocates many small
/// strings and vectors on two threads, and the profile had malloc and free
/// at 15% of the server's CPU.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns transparent huge pages off for this process. mimalloc asks for
/// them on its 1 GiB arena, so every first touch there zeroed a whole 2 MiB
/// page: 15% of start-up's CPU and 30% of its memory (about 140 → 100 MiB),
/// with no measurable difference in throughput (README, "Start-up"). A
/// kernel without the setting refuses it, and nothing changes.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and
        // touches no memory of ours; the kernel checks the flag at each
        // page fault, so regions mapped before this call are covered too.
        let refused = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) } != 0;
        if refused {
            let error = std::io::Error::last_os_error();
            tracing::debug!(%error, "transparent huge pages stay as the system sets them");
        }
    }
}

#[derive(Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Multilingual customer-support chat backend"
)]
struct Cli {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "SWITCHBOARD_LISTEN", global = true)]
    listen: Option<String>,
    /// Directory of the embedded store.
    #[arg(long, env = "SWITCHBOARD_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    /// Directory of trained models kept between starts (default: models/ in
    /// the data directory).
    #[arg(long, env = "SWITCHBOARD_MODEL_CACHE_DIR", global = true)]
    model_cache_dir: Option<PathBuf>,
    /// The store: `sled` (the embedded store in --data-dir, the default),
    /// `redis://HOST:PORT/DB` or `redis+unix:///PATH`.
    #[arg(long, env = "SWITCHBOARD_STORE", global = true, hide_env_values = true)]
    store: Option<String>,
    /// Directory holding intents/, locales/ and knowledge/.
    #[arg(long, env = "SWITCHBOARD_CONTENT_DIR", global = true)]
    content_dir: Option<PathBuf>,
    /// TOML config file; flags and environment override it.
    #[arg(long, env = "SWITCHBOARD_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Serve a store that was found damaged at start-up (what is left of it),
    /// after reading what is missing; the manifest is rewritten to match.
    #[arg(long, global = true)]
    accept_store_damage: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the chat (the default).
    Serve,
    /// Validate the content; prints `file:line: problem` and exits 1 if there is any.
    Check,
    /// Erase a conversation, or every conversation of a customer, from the
    /// store in --data-dir (the server must be stopped; while it runs, use
    /// `DELETE /v1/admin/conversations/{id}` or `/v1/admin/customers/{id}`).
    Erase {
        /// The conversation id.
        #[arg(
            long,
            conflicts_with = "customer",
            required_unless_present = "customer"
        )]
        conversation: Option<String>,
        /// The customer id (`hello.customer.id`).
        #[arg(long)]
        customer: Option<String>,
    },
    /// Print a new random agent token and the config lines that admit it
    /// (only the token's SHA-256 goes in the config). Without --name and
    /// --languages the entry has placeholders to edit ("Agent", English).
    AgentToken {
        /// The agent's name, shown to customers ("Ayşe has joined the chat").
        #[arg(long)]
        name: Option<String>,
        /// The languages the agent speaks, comma-separated: tr,en.
        #[arg(long, value_delimiter = ',')]
        languages: Vec<String>,
    },
    /// Train and measure the intent classifier on a data set directory holding
    /// <locale>.train.jsonl, <locale>.test.jsonl and optionally <locale>.dev.jsonl.
    Eval {
        /// The data set directory, e.g. ../shared/data/massive.
        data: PathBuf,
        /// The label of out-of-scope examples (CLINC150: oos).
        #[arg(long)]
        out_of_scope: Option<String>,
        /// The SVM's misclassification cost C.
        #[arg(long, default_value_t = 1.0)]
        c: f32,
        /// Measure language identification (trained on the bundled content)
        /// on the test splits instead.
        #[arg(long)]
        language: bool,
        /// Measure help-centre retrieval on question files (<locale>.toml,
        /// e.g. tests/data/retrieval) instead.
        #[arg(long, conflicts_with = "language")]
        retrieval: bool,
        /// Measure the bundled matcher on a phone-style set (<locale>.tsv of
        /// text<TAB>label, e.g. tests/data/phone/dev) instead; with
        /// --verbose, list every wrong row.
        #[arg(long, conflicts_with_all = ["language", "retrieval"])]
        phone: bool,
        /// With --phone: list the rows answered wrongly.
        #[arg(long, requires = "phone")]
        verbose: bool,
    },
}

fn main() -> ExitCode {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    // tungstenite logs whole frames at trace level, tokens included: never
    // those events, whatever RUST_LOG asks for.
    let no_frames = tracing_subscriber::filter::DynFilterFn::new(|meta, _| {
        !(*meta.level() == tracing::Level::TRACE && meta.target().contains("tungstenite"))
    });
    // Without this hint, libraries that log through `log` (the store) would
    // have every trace-level record built and dispatched just to be dropped.
    let hint = filter
        .max_level_hint()
        .unwrap_or(tracing_subscriber::filter::LevelFilter::TRACE);
    let no_frames = no_frames.with_max_level_hint(hint);
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .with_filter(filter)
                .with_filter(no_frames),
        )
        .init();
    no_transparent_huge_pages();
    let cli = Cli::parse();
    let content_dir = cli.content_dir.clone().unwrap_or_else(bundled_content_dir);
    match cli.command {
        None | Some(Command::Serve) => {
            let overrides = Overrides {
                listen: cli.listen,
                data_dir: cli.data_dir,
                model_cache_dir: cli.model_cache_dir,
                content_dir: cli.content_dir,
                accept_store_damage: cli.accept_store_damage,
                store: cli.store,
            };
            match Settings::load(cli.config.as_deref(), overrides) {
                Ok(settings) => serve(settings),
                Err(error) => {
                    eprintln!("switchboard: {error}");
                    ExitCode::from(2)
                }
            }
        }
        Some(Command::Check) => check(&content_dir),
        Some(Command::Erase {
            conversation,
            customer,
        }) => {
            if cli
                .store
                .as_deref()
                .is_some_and(|store| store.trim() != "sled")
            {
                // A running node holds conversations in memory: erasing under
                // it goes through the node, which knows to forget them too.
                eprintln!(
                    "switchboard: erase works on the embedded store only; on Redis, erase through \
                     DELETE /v1/admin/conversations/{{id}} or /v1/admin/customers/{{id}}"
                );
                return ExitCode::from(2);
            }
            let data_dir = cli
                .data_dir
                .clone()
                .unwrap_or_else(|| PathBuf::from(switchboard::config::DEFAULT_DATA_DIR));
            match switchboard::app::erase_offline(
                &data_dir,
                conversation.as_deref(),
                customer.as_deref(),
            ) {
                Ok(erased) => {
                    println!("erased {erased} conversation(s)");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("switchboard: {error}");
                    ExitCode::from(2)
                }
            }
        }
        Some(Command::AgentToken { name, languages }) => {
            print!("{}", agent_token(name.as_deref(), &languages));
            ExitCode::SUCCESS
        }
        Some(Command::Eval {
            data,
            out_of_scope,
            c,
            language,
            retrieval,
            phone,
            verbose,
        }) => {
            let result = if phone {
                print_phone(&data, &content_dir, verbose)
            } else if retrieval {
                print_retrieval(&data, &content_dir, verbose)
            } else if language {
                switchboard::conversation::Content::load(&content_dir, None)
                    .map_err(|e| e.to_string())
                    .and_then(|content| {
                        switchboard::eval::run_language(&data, &content.nlu)
                            .map_err(|e| e.to_string())
                    })
            } else {
                let params = SvmParams {
                    c,
                    ..Default::default()
                };
                switchboard::eval::run(&data, out_of_scope.as_deref(), params)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            };
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("switchboard: {error}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn print_phone(dir: &Path, content_dir: &Path, verbose: bool) -> Result<(), String> {
    let content =
        switchboard::conversation::Content::load(content_dir, None).map_err(|e| e.to_string())?;
    let reports = switchboard::eval::phone(dir, &content.nlu).map_err(|e| e.to_string())?;
    println!("| locale | rows | accuracy | out-of-scope rejected | wrong above 0.9 | ECE |");
    println!("|---|---|---|---|---|---|");
    let mut total = switchboard::eval::PhoneReport {
        locale: "all".to_owned(),
        ..Default::default()
    };
    let mut ece_weighted = 0.0;
    for report in &reports {
        println!(
            "| {} | {} | {:.3} | {}/{} | {} | {:.3} |",
            report.locale,
            report.rows,
            report.accuracy(),
            report.rejected,
            report.out_of_scope,
            report.confident_errors,
            report.ece
        );
        total.rows += report.rows;
        total.right += report.right;
        total.out_of_scope += report.out_of_scope;
        total.rejected += report.rejected;
        total.confident_errors += report.confident_errors;
        ece_weighted += report.ece * report.rows as f64;
    }
    println!(
        "| all | {} | {:.3} | {}/{} ({:.3}) | {} | {:.3} |",
        total.rows,
        total.accuracy(),
        total.rejected,
        total.out_of_scope,
        total.rejection(),
        total.confident_errors,
        ece_weighted / total.rows.max(1) as f64
    );
    if verbose {
        for report in &reports {
            for (text, label, outcome, confidence) in &report.wrong {
                println!(
                    "{}\t{text}\t{label}\t{outcome}\t{confidence:.2}",
                    report.locale
                );
            }
        }
    }
    Ok(())
}

fn print_retrieval(questions: &Path, content_dir: &Path, verbose: bool) -> Result<(), String> {
    let content =
        switchboard::conversation::Content::load(content_dir, None).map_err(|e| e.to_string())?;
    let reports = switchboard::eval::retrieval(questions, |text, locale| {
        content.search_articles(text, locale)
    })
    .map_err(|e| e.to_string())?;
    println!("| locale | questions | recall@1 | MRR | search p50 µs |");
    println!("|---|---|---|---|---|");
    for r in &reports {
        println!(
            "| {} | {} | {:.2} | {:.2} | {:.0} |",
            r.locale, r.questions, r.recall_at_1, r.mrr, r.search_p50_us
        );
    }
    if verbose {
        // locale, question, its article, the article ranked first (or -).
        for r in &reports {
            for (question, article, first) in &r.misses {
                let first = first.as_deref().unwrap_or("-");
                println!("{}\t{question}\t{article}\t{first}", r.locale);
            }
        }
    }
    Ok(())
}

/// A new token and the `[[agents]]` entry for it; without a name or
/// languages, placeholders that load as they are and say to edit them.
fn agent_token(name: Option<&str>, languages: &[String]) -> String {
    use sha2::Digest;
    let token = switchboard::domain::SessionToken::random();
    let digest = hex::encode(sha2::Sha256::digest(token.as_str().as_bytes()));
    let mut languages: Vec<String> = languages
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l:?}"))
        .collect();
    let languages_note = if languages.is_empty() {
        languages.push("\"en\"".to_owned());
        "   # the languages this agent speaks: edit"
    } else {
        ""
    };
    let (name, name_note) = match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => (name, ""),
        None => ("Agent", "   # the name customers see: edit"),
    };
    let whom = if name_note.is_empty() {
        name
    } else {
        "the agent"
    };
    format!(
        "# Give this token to {whom} (it is shown only now):\n# {token}\n\n[[agents]]\nname = {name:?}{name_note}\nlanguages = [{}]{languages_note}\ntoken_sha256 = \"{digest}\"\n",
        languages.join(", "),
        token = token.as_str(),
    )
}

fn check(dir: &Path) -> ExitCode {
    let problems = switchboard::conversation::checks::check_content(dir);
    for problem in &problems {
        eprintln!("{problem}");
    }
    if problems.is_empty() {
        eprintln!("{}: content ok", dir.display());
        ExitCode::SUCCESS
    } else {
        eprintln!("{} problem(s)", problems.len());
        ExitCode::FAILURE
    }
}

fn serve(settings: Settings) -> ExitCode {
    // The group commit holds a sync back only while every worker has work
    // (`storage::Workers`), so it is told when they park and wake.
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    switchboard::storage::WORKERS.set_count(workers);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .on_thread_park(|| switchboard::storage::WORKERS.parked())
        .on_thread_unpark(|| switchboard::storage::WORKERS.unparked())
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("switchboard: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        // Registered before anything is served: a SIGTERM that arrives while
        // the first requests are answered must stop the server gracefully,
        // not kill it (the default action).
        let stop = shutdown_signal();
        let app = App::build(settings).await?;
        // The one documented stdout line: tools wait for it to learn the port.
        println!("listening on http://{}", app.local_addr());
        let _ = std::io::stdout().flush();
        app.run_until_stopped(stop).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "switchboard stopped");
            eprintln!("switchboard: {error}");
            ExitCode::FAILURE
        }
    }
}

/// SIGINT or SIGTERM, whichever comes first. The handlers are installed when
/// this is called, not when the future is first polled.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let listen = |kind: SignalKind, name: &'static str| match signal(kind) {
            Ok(signal) => Some(signal),
            Err(error) => {
                tracing::error!(%error, "cannot listen for {name}");
                None
            }
        };
        let interrupt = listen(SignalKind::interrupt(), "SIGINT");
        let terminate = listen(SignalKind::terminate(), "SIGTERM");
        async move {
            let wait = |signal: Option<tokio::signal::unix::Signal>| async move {
                match signal {
                    Some(mut signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(interrupt) => {},
                _ = wait(terminate) => {},
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    }
}
