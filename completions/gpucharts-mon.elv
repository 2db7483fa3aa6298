
use builtin;
use str;

set edit:completion:arg-completer[gpucharts-mon] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'gpucharts-mon'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'gpucharts-mon'= {
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Write a fully commented example inventory (gpucharts-mon.yaml)'
            cand gen-config 'Generate prometheus.yml (static, multi-instance, Kubernetes, Docker or file_sd)'
            cand gen-rules 'Generate Prometheus alerting rules for the GPU Charts services'
            cand gen-alertmanager 'Generate alertmanager.yml: receivers (secrets by file), routes by severity, inhibition'
            cand gen-dashboards 'Generate Grafana dashboards (overview, logger, server) and their provisioning file'
            cand gen-compose 'Generate docker-compose.monitoring-pull.yml for the monitoring stack'
            cand gen-stack 'Write the whole stack into a folder: prometheus.yml, rules and their tests, alertmanager.yml, Grafana, compose file'
            cand check-targets 'Check that every GPU Charts target is scraped and healthy, through the Prometheus API'
            cand query 'Run an instant PromQL query and show the result'
            cand reload 'Reload Prometheus'' configuration safely and confirm that it took'
            cand firewall 'Generate firewall rules so only the Prometheus server reaches the metrics ports'
            cand lint 'Parse and lint an exposition (file or stdin) the way Prometheus reads it'
            cand test-pull 'Fetch, time, parse and lint /metrics and /health of every endpoint, concurrently'
            cand serve-demo 'Serve demo logger and server endpoints with every catalogue family (until Ctrl-C)'
            cand demo 'With nothing running: start demo endpoints in-process and test-pull them'
            cand doctor 'Walk the troubleshooting list for an endpoint and name the root cause'
            cand relabel 'Show what a job''s relabel rules do to discovered targets, as Prometheus would'
            cand smoke 'The CI step in one command: config, rules, test-pull, and targets through Prometheus'
            cand completions 'Print a shell completion script (also checked in under completions/)'
            cand man 'Print the man page (roff), or write one page per subcommand with --dir'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gpucharts-mon;init'= {
            cand -o 'Where to write the example inventory (`-` for stdout)'
            cand --output 'Where to write the example inventory (`-` for stdout)'
            cand --templates 'Directory whose files override the embedded templates of the same name'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;gen-config'= {
            cand --mode 'Discovery mode for both services (the inventory can set one per service)'
            cand --logger 'A logger instance to scrape (repeatable)'
            cand --server 'A server instance to scrape (repeatable)'
            cand --environment 'Value of the `environment` label'
            cand --scrape-interval 'global.scrape_interval [default: 15s]'
            cand --evaluation-interval 'global.evaluation_interval [default: 15s]'
            cand --scrape-timeout 'global.scrape_timeout (not longer than the scrape interval)'
            cand --external-label 'An external label, KEY=VALUE (repeatable)'
            cand --self-scrape 'Add the `prometheus` self-monitoring job scraping HOST:PORT'
            cand --alertmanager 'An Alertmanager to send alerts to (repeatable)'
            cand --rule-file 'A rule file for rule_files (repeatable)'
            cand --k8s-namespace 'Kubernetes namespace to discover pods in (repeatable) [default: all]'
            cand --k8s-app-label 'Pod label whose value must equal the job name [default: app]'
            cand --docker-host 'Docker daemon address for docker_sd_configs [default: unix:///var/run/docker.sock]'
            cand --docker-logger-service 'Compose service name of the logger [default: logger]'
            cand --docker-server-service 'Compose service name of the server [default: server]'
            cand --scheme 'Scrape scheme'
            cand --ca-file 'CA certificate file (PEM) to verify targets with'
            cand --cert-file 'Client certificate (PEM) presented to targets (needs --key-file)'
            cand --key-file 'Private key (PEM) of the client certificate (needs --cert-file)'
            cand --tls-server-name 'Server name to verify target certificates against'
            cand --basic-auth-user 'Basic auth user for scrapes (needs --basic-auth-password-file)'
            cand --basic-auth-password-file 'File holding the basic auth password (secrets only by file)'
            cand --bearer-token-file 'File holding a bearer token for scrapes'
            cand --server-name 'The config of this server of the inventory''s prometheus.servers (without it, -o DIR writes NAME.yml for each)'
            cand -o 'Write to FILE instead of stdout (atomically; `-` is stdout)'
            cand --output 'Write to FILE instead of stdout (atomically; `-` is stdout)'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --insecure-skip-verify 'Do not verify target certificates'
            cand --check 'Also run `promtool check config` on the result (when promtool is on PATH)'
            cand --explain 'Show what each job''s relabel rules do to example discovered targets (kept or dropped, address, labels); with -o the config is written too'
            cand --force 'Replace an existing file, keeping the old one as FILE.bak'
            cand --diff 'Print a unified diff against the existing file and write nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;gen-rules'= {
            cand --threshold 'Override an alert''s threshold, ALERT=NUMBER (repeatable; see README for names)'
            cand --for 'Override an alert''s `for` duration, ALERT=DURATION (repeatable)'
            cand --runbook-url 'Runbook base URL: every alert gets the annotation runbook_url=URL#alertname (lower case)'
            cand --tests 'Also write, beside -o FILE, a `promtool test rules` suite named NAME: each alert fires on synthetic input and stays quiet on healthy input'
            cand --templates 'Directory whose files override the embedded templates of the same name'
            cand -o 'Write to FILE instead of stdout (atomically; `-` is stdout)'
            cand --output 'Write to FILE instead of stdout (atomically; `-` is stdout)'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --check 'Also run `promtool check rules` (and `promtool test rules` on --tests) on the result (when promtool is on PATH)'
            cand --force 'Replace an existing file, keeping the old one as FILE.bak'
            cand --diff 'Print a unified diff against the existing file and write nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;gen-alertmanager'= {
            cand -o 'Write to FILE instead of stdout (atomically; `-` is stdout)'
            cand --output 'Write to FILE instead of stdout (atomically; `-` is stdout)'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --check 'Also run `amtool check-config` on the result (when amtool is on PATH)'
            cand --explain 'Print which receiver each generated alert reaches (as `amtool config routes test` would); with -o the file is written too'
            cand --force 'Replace an existing file, keeping the old one as FILE.bak'
            cand --diff 'Print a unified diff against the existing file and write nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;gen-dashboards'= {
            cand --dashboard 'Only this dashboard (repeatable) [default: all three]'
            cand -o 'Write the dashboards and dashboards.yml into DIR (created if missing); without it, one --dashboard is printed'
            cand --output 'Write the dashboards and dashboards.yml into DIR (created if missing); without it, one --dashboard is printed'
            cand --grafana-path 'The dashboards'' folder inside the Grafana container, for dashboards.yml'
            cand --range 'With --preview: how far back to draw'
            cand --prometheus 'Prometheus base URL [default: inventory, else http://localhost:9092]'
            cand --prometheus-user 'Basic auth user for the Prometheus API'
            cand --prometheus-password-file 'File holding the basic auth password for the Prometheus API'
            cand --prometheus-bearer-token-file 'File holding a bearer token for the Prometheus API'
            cand --ca-file 'CA certificate (PEM) to verify Prometheus'' certificate with'
            cand --timeout 'Give up after this long [default: 10s; reload: 30s for the whole reload]'
            cand --max-body 'Largest API answer accepted (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --force 'Replace existing files, keeping each old one as FILE.bak'
            cand --diff 'Print a unified diff against the existing files and write nothing'
            cand --preview 'Draw every panel''s queries from a running Prometheus in the terminal instead of writing'
            cand --insecure 'Do not verify Prometheus'' TLS certificate (warns)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;gen-compose'= {
            cand --prometheus-port 'Host port Prometheus is published on'
            cand --prometheus-config 'prometheus.yml to mount, relative to the compose file'
            cand --alertmanager-config 'alertmanager.yml to mount with --with-alertmanager (write it with gen-alertmanager)'
            cand --rules 'A rules file (gen-rules) to mount beside prometheus.yml, for `gen-config --rule-file NAME`'
            cand --dashboards 'With --with-grafana: a gen-dashboards folder to mount (its dashboards.yml and the dashboards)'
            cand --templates 'Directory whose files override the embedded templates of the same name'
            cand -o 'Write to FILE instead of stdout (atomically; `-` is stdout)'
            cand --output 'Write to FILE instead of stdout (atomically; `-` is stdout)'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --with-grafana 'Add Grafana (port 3000) and its datasource provisioning file'
            cand --with-alertmanager 'Add Alertmanager (port 9093)'
            cand --force 'Replace an existing file, keeping the old one as FILE.bak'
            cand --diff 'Print a unified diff against the existing file and write nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;gen-stack'= {
            cand -o 'The folder to write the stack into (created if missing)'
            cand --output 'The folder to write the stack into (created if missing)'
            cand --prometheus-port 'Host port Prometheus is published on'
            cand --runbook-url 'Runbook base URL for the alerts'' runbook_url annotation'
            cand --templates 'Directory whose files override the embedded templates of the same name'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --force 'Replace existing files, keeping each old one as FILE.bak'
            cand --diff 'Print a unified diff against the existing files and write nothing'
            cand --check 'Run promtool (config, rules, rule tests) and amtool on the stack before writing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;check-targets'= {
            cand --job 'Only targets whose job matches this regex (anchored, like PromQL =~) [default: the inventory''s job names]'
            cand --expect 'Require a job with at least N active targets, JOB or JOB=N (repeatable)'
            cand --wait 'Poll until the checks pass or this much time has passed'
            cand --output-format 'Report format (`--output` is an old spelling)'
            cand --jq 'Run a jq filter on the raw API answer and print its results as jq does'
            cand --prometheus 'Prometheus base URL [default: inventory, else http://localhost:9092]'
            cand --prometheus-user 'Basic auth user for the Prometheus API'
            cand --prometheus-password-file 'File holding the basic auth password for the Prometheus API'
            cand --prometheus-bearer-token-file 'File holding a bearer token for the Prometheus API'
            cand --ca-file 'CA certificate (PEM) to verify Prometheus'' certificate with'
            cand --timeout 'Give up after this long [default: 10s; reload: 30s for the whole reload]'
            cand --max-body 'Largest API answer accepted (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --dropped 'Also list dropped targets with their discovered labels'
            cand -r 'With --jq: print strings without quotes (jq -r)'
            cand --raw-output 'With --jq: print strings without quotes (jq -r)'
            cand -C 'With --jq: one compact line per value (jq -c)'
            cand --compact-output 'With --jq: one compact line per value (jq -c)'
            cand --insecure 'Do not verify Prometheus'' TLS certificate (warns)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;query'= {
            cand --range 'Query the last DURATION (a range query) and draw each series as a chart'
            cand --step 'With --range: seconds between points [default: the range over the chart width]'
            cand --output-format 'Report format (`--output` is an old spelling)'
            cand --jq 'Run a jq filter on the raw API answer and print its results as jq does'
            cand --prometheus 'Prometheus base URL [default: inventory, else http://localhost:9092]'
            cand --prometheus-user 'Basic auth user for the Prometheus API'
            cand --prometheus-password-file 'File holding the basic auth password for the Prometheus API'
            cand --prometheus-bearer-token-file 'File holding a bearer token for the Prometheus API'
            cand --ca-file 'CA certificate (PEM) to verify Prometheus'' certificate with'
            cand --timeout 'Give up after this long [default: 10s; reload: 30s for the whole reload]'
            cand --max-body 'Largest API answer accepted (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --fail-empty 'Exit 1 when the result is empty'
            cand -r 'With --jq: print strings without quotes (jq -r)'
            cand --raw-output 'With --jq: print strings without quotes (jq -r)'
            cand -C 'With --jq: one compact line per value (jq -c)'
            cand --compact-output 'With --jq: one compact line per value (jq -c)'
            cand --insecure 'Do not verify Prometheus'' TLS certificate (warns)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;reload'= {
            cand --method 'How to ask Prometheus to reload'
            cand --pid 'PID of the Prometheus process to signal'
            cand --pid-file 'File holding the PID of the Prometheus process [default: inventory]'
            cand --config-file 'The prometheus.yml Prometheus runs, validated before reloading [default: inventory]'
            cand --prometheus 'Prometheus base URL [default: inventory, else http://localhost:9092]'
            cand --prometheus-user 'Basic auth user for the Prometheus API'
            cand --prometheus-password-file 'File holding the basic auth password for the Prometheus API'
            cand --prometheus-bearer-token-file 'File holding a bearer token for the Prometheus API'
            cand --ca-file 'CA certificate (PEM) to verify Prometheus'' certificate with'
            cand --timeout 'Give up after this long [default: 10s; reload: 30s for the whole reload]'
            cand --max-body 'Largest API answer accepted (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --no-check 'Reload even when the config file fails validation'
            cand --dry-run 'Validate and say what would be done; send nothing'
            cand --insecure 'Do not verify Prometheus'' TLS certificate (warns)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;firewall'= {
            cand --allow 'Source allowed to reach the metrics ports, ADDR or ADDR/PREFIX (repeatable) [default: inventory]'
            cand --port 'Port to protect (repeatable) [default: the services'' metrics ports, 9090 and 9091]'
            cand --format 'Output format'
            cand --chain 'The tool''s own chain (iptables) or table (nft, lower-cased) name; never a built-in or Docker''s'
            cand --interface 'Only filter traffic arriving on this interface'
            cand --family 'Only this address family [default: both; iptables-restore: 4]'
            cand -o 'Write to FILE instead of stdout (atomically; `-` is stdout)'
            cand --output 'Write to FILE instead of stdout (atomically; `-` is stdout)'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --docker 'Protect ports that Docker publishes: rules hook into DOCKER-USER (forwarded, DNAT-ed traffic), not INPUT'
            cand --remove 'Emit exactly what undoes the rules'
            cand --allow-any 'Allow sources that together cover all of IPv4 or IPv6 (otherwise refused as meaningless)'
            cand --force 'Replace an existing file, keeping the old one as FILE.bak'
            cand --diff 'Print a unified diff against the existing file and write nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;lint'= {
            cand --format 'Input format'
            cand --service 'Check names against this GPU Charts service''s prefix and families'
            cand --output-format 'Report format (`--output` is an old spelling)'
            cand --max-series 'Fail when the exposition has more series than this'
            cand --max-family-series 'Fail when one family has more series than this'
            cand --prefix 'Expected metric name prefix (repeatable) [default: the service''s, from the catalogue]'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --strict 'Fail on warnings too, not only on errors'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;test-pull'= {
            cand --logger 'A logger endpoint, HOST:PORT or URL (repeatable) [default: inventory, else localhost:9090]'
            cand --server 'A server endpoint, HOST:PORT or URL (repeatable) [default: inventory, else localhost:9091]'
            cand --target 'Any exporter''s metrics URL, NAME=URL (repeatable)'
            cand --from-config 'Every static target of every job in this prometheus.yml'
            cand --concurrency 'At most this many endpoints at once'
            cand --count 'Fetch each /metrics N times (min/median/p95/max)'
            cand --slow 'Warn when the median fetch is slower than this'
            cand --timeout 'Fail a fetch after this long (Prometheus'' default scrape timeout)'
            cand --max-body 'Largest body accepted, in bytes (suffixes KiB, MiB, GiB)'
            cand --prometheus 'Also ask this Prometheus whether it scrapes each endpoint'
            cand --output-format 'Report format (`--output` is an old spelling)'
            cand --scheme 'Scrape scheme'
            cand --ca-file 'CA certificate file (PEM) to verify targets with'
            cand --cert-file 'Client certificate (PEM) presented to targets (needs --key-file)'
            cand --key-file 'Private key (PEM) of the client certificate (needs --cert-file)'
            cand --tls-server-name 'Server name to verify target certificates against'
            cand --basic-auth-user 'Basic auth user for scrapes (needs --basic-auth-password-file)'
            cand --basic-auth-password-file 'File holding the basic auth password (secrets only by file)'
            cand --bearer-token-file 'File holding a bearer token for scrapes'
            cand --max-series 'Fail when the exposition has more series than this'
            cand --max-family-series 'Fail when one family has more series than this'
            cand --prefix 'Expected metric name prefix (repeatable) [default: the service''s, from the catalogue]'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --no-follow-redirects 'Do not follow redirects: a 3xx answer fails, as with Prometheus'' `follow_redirects: false`'
            cand --require-families 'Fail when a catalogue family is absent (informational by default)'
            cand --insecure-skip-verify 'Do not verify target certificates'
            cand --strict 'Fail on warnings too, not only on errors'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;serve-demo'= {
            cand --logger-port 'Port of the demo logger'
            cand --server-port 'Port of the demo server'
            cand --bind 'Address to listen on'
            cand --slow 'Delay every answer by this many milliseconds'
            cand --fault 'Make one generated alert fire, the rest of the data staying healthy (repeatable)'
            cand --only 'Serve only this service, on METRICS_PORT when set (as the services do)'
            cand --metrics-port 'The port of the --only service, as the GPU Charts services read it'
            cand --tls-cert 'Serve HTTPS with this certificate chain (PEM; needs --tls-key)'
            cand --tls-key 'Private key (PEM) of --tls-cert'
            cand --tls-client-ca 'Require client certificates signed by this CA (PEM; needs --tls-cert)'
            cand --basic-auth-user 'Require HTTP basic auth with this user (needs --basic-auth-password-file)'
            cand --basic-auth-password-file 'File holding the basic auth password'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --fail-health 'Answer /health with 503 and status "error"'
            cand --malformed 'Append a line that does not parse to /metrics'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;demo'= {
            cand --output-format 'Report format (`--output` is an old spelling)'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;doctor'= {
            cand --prometheus 'Prometheus to ask about the target [default: the inventory''s prometheus.url]'
            cand --timeout 'Bound on every check (DNS, connect, fetch, Prometheus)'
            cand --output-format 'Report format (`--output` is an old spelling)'
            cand --scheme 'Scrape scheme'
            cand --ca-file 'CA certificate file (PEM) to verify targets with'
            cand --cert-file 'Client certificate (PEM) presented to targets (needs --key-file)'
            cand --key-file 'Private key (PEM) of the client certificate (needs --cert-file)'
            cand --tls-server-name 'Server name to verify target certificates against'
            cand --basic-auth-user 'Basic auth user for scrapes (needs --basic-auth-password-file)'
            cand --basic-auth-password-file 'File holding the basic auth password (secrets only by file)'
            cand --bearer-token-file 'File holding a bearer token for scrapes'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --insecure-skip-verify 'Do not verify target certificates'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;relabel'= {
            cand --config-file 'The prometheus.yml holding the job (`--config` is the inventory)'
            cand --job 'The job whose relabel_configs to run'
            cand --targets 'Discovered label sets: a JSON/YAML list of label maps, or a saved /api/v1/targets answer (`-` for stdin)'
            cand --example 'Built-in discovered label sets for the generated discovery modes'
            cand --prometheus-version 'Prometheus semantics (2: ^(?:re)$, default ports; 3: ^(?s:re)$, UTF-8 names)'
            cand --prometheus 'Take the semantics from this Prometheus'' version (its build info)'
            cand --expect-kept 'Fail (exit 1) unless exactly N targets are kept'
            cand --output-format 'Report format (`--output` is an old spelling)'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --trace 'Show the labels after every rule'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;smoke'= {
            cand --config-file 'prometheus.yml to validate [default: the inventory''s prometheus.config_file]'
            cand --rule-file 'Rule file to check with promtool (repeatable) [default: the config''s rule_files]'
            cand --prometheus 'Prometheus to check the targets through [default: the inventory''s prometheus.url]'
            cand --wait 'How long the targets may take to be scraped and up'
            cand --timeout 'Fail a fetch of an endpoint after this long'
            cand --junit 'Write one JUnit report, a suite per stage, to FILE (replaced if it exists)'
            cand --scheme 'Scrape scheme'
            cand --ca-file 'CA certificate file (PEM) to verify targets with'
            cand --cert-file 'Client certificate (PEM) presented to targets (needs --key-file)'
            cand --key-file 'Private key (PEM) of the client certificate (needs --cert-file)'
            cand --tls-server-name 'Server name to verify target certificates against'
            cand --basic-auth-user 'Basic auth user for scrapes (needs --basic-auth-password-file)'
            cand --basic-auth-password-file 'File holding the basic auth password (secrets only by file)'
            cand --bearer-token-file 'File holding a bearer token for scrapes'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand --insecure-skip-verify 'Do not verify target certificates'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;completions'= {
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;man'= {
            cand --dir 'Write gpucharts-mon.1 and one gpucharts-mon-<command>.1 page per subcommand into DIR (else print the main page)'
            cand -c 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --config 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]'
            cand --color 'When to use colour'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'gpucharts-mon;help'= {
            cand init 'Write a fully commented example inventory (gpucharts-mon.yaml)'
            cand gen-config 'Generate prometheus.yml (static, multi-instance, Kubernetes, Docker or file_sd)'
            cand gen-rules 'Generate Prometheus alerting rules for the GPU Charts services'
            cand gen-alertmanager 'Generate alertmanager.yml: receivers (secrets by file), routes by severity, inhibition'
            cand gen-dashboards 'Generate Grafana dashboards (overview, logger, server) and their provisioning file'
            cand gen-compose 'Generate docker-compose.monitoring-pull.yml for the monitoring stack'
            cand gen-stack 'Write the whole stack into a folder: prometheus.yml, rules and their tests, alertmanager.yml, Grafana, compose file'
            cand check-targets 'Check that every GPU Charts target is scraped and healthy, through the Prometheus API'
            cand query 'Run an instant PromQL query and show the result'
            cand reload 'Reload Prometheus'' configuration safely and confirm that it took'
            cand firewall 'Generate firewall rules so only the Prometheus server reaches the metrics ports'
            cand lint 'Parse and lint an exposition (file or stdin) the way Prometheus reads it'
            cand test-pull 'Fetch, time, parse and lint /metrics and /health of every endpoint, concurrently'
            cand serve-demo 'Serve demo logger and server endpoints with every catalogue family (until Ctrl-C)'
            cand demo 'With nothing running: start demo endpoints in-process and test-pull them'
            cand doctor 'Walk the troubleshooting list for an endpoint and name the root cause'
            cand relabel 'Show what a job''s relabel rules do to discovered targets, as Prometheus would'
            cand smoke 'The CI step in one command: config, rules, test-pull, and targets through Prometheus'
            cand completions 'Print a shell completion script (also checked in under completions/)'
            cand man 'Print the man page (roff), or write one page per subcommand with --dir'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'gpucharts-mon;help;init'= {
        }
        &'gpucharts-mon;help;gen-config'= {
        }
        &'gpucharts-mon;help;gen-rules'= {
        }
        &'gpucharts-mon;help;gen-alertmanager'= {
        }
        &'gpucharts-mon;help;gen-dashboards'= {
        }
        &'gpucharts-mon;help;gen-compose'= {
        }
        &'gpucharts-mon;help;gen-stack'= {
        }
        &'gpucharts-mon;help;check-targets'= {
        }
        &'gpucharts-mon;help;query'= {
        }
        &'gpucharts-mon;help;reload'= {
        }
        &'gpucharts-mon;help;firewall'= {
        }
        &'gpucharts-mon;help;lint'= {
        }
        &'gpucharts-mon;help;test-pull'= {
        }
        &'gpucharts-mon;help;serve-demo'= {
        }
        &'gpucharts-mon;help;demo'= {
        }
        &'gpucharts-mon;help;doctor'= {
        }
        &'gpucharts-mon;help;relabel'= {
        }
        &'gpucharts-mon;help;smoke'= {
        }
        &'gpucharts-mon;help;completions'= {
        }
        &'gpucharts-mon;help;man'= {
        }
        &'gpucharts-mon;help;help'= {
        }
    ]
    $completions[$command]
}
