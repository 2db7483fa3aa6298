# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_gpucharts_mon_global_optspecs
    string join \n c/config= color= h/help V/version
end

function __fish_gpucharts_mon_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_gpucharts_mon_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_gpucharts_mon_using_subcommand
    set -l cmd (__fish_gpucharts_mon_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "init" -d 'Write a fully commented example inventory (gpucharts-mon.yaml)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "gen-config" -d 'Generate prometheus.yml (static, multi-instance, Kubernetes, Docker or file_sd)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "gen-rules" -d 'Generate Prometheus alerting rules for the GPU Charts services'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "gen-alertmanager" -d 'Generate alertmanager.yml: receivers (secrets by file), routes by severity, inhibition'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "gen-dashboards" -d 'Generate Grafana dashboards (overview, logger, server) and their provisioning file'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "gen-compose" -d 'Generate docker-compose.monitoring-pull.yml for the monitoring stack'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "gen-stack" -d 'Write the whole stack into a folder: prometheus.yml, rules and their tests, alertmanager.yml, Grafana, compose file'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "gen-operator" -d 'Generate prometheus-operator resources: a PodMonitor (or ServiceMonitor) per service, a PrometheusRule, RBAC'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "check-targets" -d 'Check that every GPU Charts target is scraped and healthy, through the Prometheus API'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "query" -d 'Run an instant PromQL query and show the result'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "migrate" -d 'From a Pushgateway to pull, step by step: what is done, what is not, the next command; deletes migrated groups'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "reload" -d 'Reload Prometheus\' configuration safely and confirm that it took'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "firewall" -d 'Generate firewall rules so only the Prometheus server reaches the metrics ports'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "lint" -d 'Parse and lint an exposition (file or stdin) the way Prometheus reads it'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "test-pull" -d 'Fetch, time, parse and lint /metrics and /health of every endpoint, concurrently'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "serve-demo" -d 'Serve demo logger and server endpoints with every catalogue family (until Ctrl-C)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "demo" -d 'With nothing running: start demo endpoints in-process and test-pull them'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "doctor" -d 'Walk the troubleshooting list for an endpoint and name the root cause'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "relabel" -d 'Show what a job\'s relabel rules do to discovered targets, as Prometheus would'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "smoke" -d 'The CI step in one command: config, rules, test-pull, and targets through Prometheus'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "shard-plan" -d 'Predict which of N hashmod shards scrapes each target, and the skew, before deploying'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "completions" -d 'Print a shell completion script (also checked in under completions/)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "man" -d 'Print the man page (roff), or write one page per subcommand with --dir'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand init" -s o -l output -d 'Where to write the example inventory (`-` for stdout)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand init" -l templates -d 'Directory whose files override the embedded templates of the same name' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand init" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand init" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand init" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand init" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l into -d 'Splice the GPU Charts jobs into this existing prometheus.yml, leaving its other jobs, sections and comments as they are (written back with --force, compared with --diff); for an inventory of several servers, a folder of NAME.yml' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l mode -d 'Discovery mode for both services (the inventory can set one per service)' -r -f -a "static\t''
kubernetes\t''
docker\t''
file-sd\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l logger -d 'A logger instance to scrape (repeatable)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l server -d 'A server instance to scrape (repeatable)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l environment -d 'Value of the `environment` label' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l scrape-interval -d 'global.scrape_interval [default: 15s]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l evaluation-interval -d 'global.evaluation_interval [default: 15s]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l scrape-timeout -d 'global.scrape_timeout (not longer than the scrape interval)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l external-label -d 'An external label, KEY=VALUE (repeatable)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l scrape-protocols -d 'global.scrape_protocols, in order, comma-separated (Prometheus 3), e.g. PrometheusText1.0.0,PrometheusText0.0.4' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l fallback-scrape-protocol -d 'Every GPU Charts job\'s fallback_scrape_protocol (Prometheus 3): how to read answers with a blank or unknown Content-Type' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l pushgateway -d 'Add the `pushgateway` transition job (honor_labels: true) scraping HOST:PORT, while pushing continues; drop the flag (and --into again) when migrate says it may go' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l self-scrape -d 'Add the `prometheus` self-monitoring job scraping HOST:PORT' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l alertmanager -d 'An Alertmanager to send alerts to (repeatable)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l rule-file -d 'A rule file for rule_files (repeatable)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-role -d 'What to discover: pods, or a Service\'s endpoints [default: pod]' -r -f -a "pod\t''
endpoints\t''
endpointslice\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-namespace -d 'Namespace to discover in (repeatable) [default: all]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-app-label -d 'Label key whose value names the app (repeatable) [default: app and app.kubernetes.io/name]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-port-name -d 'Scrape the container (or Service) port of this name [default: the service\'s port number]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-container -d 'Regex over the container name, for pods whose containers declare no port' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-label-selector -d 'Label selector the API server applies, e.g. tier=backend' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-field-selector -d 'Field selector the API server applies, e.g. spec.nodeName=node-1' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-api-server -d 'API server URL, for a Prometheus outside the cluster [default: in-cluster]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-kubeconfig-file -d 'kubeconfig file Prometheus reads the API server and credentials from' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-ca-file -d 'CA certificate (PEM) to verify the API server with' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-cert-file -d 'Client certificate (PEM) for the API server' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-key-file -d 'Client key (PEM) for the API server' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-bearer-token-file -d 'File holding a bearer token for the API server' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l docker-host -d 'Docker daemon address for docker_sd_configs [default: unix:///var/run/docker.sock]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l docker-logger-service -d 'Compose service name of the logger [default: logger]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l docker-server-service -d 'Compose service name of the server [default: server]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l scheme -d 'Scrape scheme' -r -f -a "http\t''
https\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l ca-file -d 'CA certificate file (PEM) to verify targets with' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l cert-file -d 'Client certificate (PEM) presented to targets (needs --key-file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l key-file -d 'Private key (PEM) of the client certificate (needs --cert-file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l tls-server-name -d 'Server name to verify target certificates against' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l basic-auth-user -d 'Basic auth user for scrapes (needs --basic-auth-password-file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l basic-auth-password-file -d 'File holding the basic auth password (secrets only by file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l bearer-token-file -d 'File holding a bearer token for scrapes' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l server-name -d 'The config of this server of the inventory\'s prometheus.servers (without it, -o DIR writes NAME.yml for each)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -s o -l output -d 'Write to FILE instead of stdout (atomically; `-` is stdout)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l adopt -d 'With --into: replace a job of a managed job\'s name that gpucharts-mon did not write (else exit 2)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-own-namespace -d 'Also discover in the namespace Prometheus runs in'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-no-annotations -d 'Ignore the prometheus.io/scrape, /port, /path and /scheme annotations'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l k8s-insecure-skip-verify -d 'Do not verify the API server\'s certificate'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l insecure-skip-verify -d 'Do not verify target certificates'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l check -d 'Also run `promtool check config` on the result (when promtool is on PATH)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l explain -d 'Show what each job\'s relabel rules do to example discovered targets (kept or dropped, address, labels); with -o the config is written too'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l force -d 'Replace an existing file, keeping the old one as FILE.bak'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -l diff -d 'Print a unified diff against the existing file and write nothing'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-config" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-rules" -l threshold -d 'Override an alert\'s threshold, ALERT=NUMBER or ALERT=PERCENT% for the ratio alerts (repeatable; see docs/generate.md for names)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-rules" -l for -d 'Override an alert\'s `for` duration, ALERT=DURATION (repeatable)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-rules" -l runbook-url -d 'Runbook base URL: every alert gets the annotation runbook_url=URL#alertname (lower case)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-rules" -l tests -d 'Also write, beside -o FILE, a `promtool test rules` suite named NAME: each alert fires on synthetic input and stays quiet on healthy input' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-rules" -l templates -d 'Directory whose files override the embedded templates of the same name' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-rules" -s o -l output -d 'Write to FILE instead of stdout (atomically; `-` is stdout)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-rules" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-rules" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-rules" -l check -d 'Also run `promtool check rules` (and `promtool test rules` on --tests) on the result (when promtool is on PATH)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-rules" -l pushgateway-alert -d 'Add PushedGroupStale for the push→pull transition: a GPU Charts group left in the Pushgateway that nothing pushes any more (on by itself when the inventory names prometheus.pushgateway)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-rules" -l force -d 'Replace an existing file, keeping the old one as FILE.bak'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-rules" -l diff -d 'Print a unified diff against the existing file and write nothing'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-rules" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-rules" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-alertmanager" -s o -l output -d 'Write to FILE instead of stdout (atomically; `-` is stdout)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-alertmanager" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-alertmanager" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-alertmanager" -l check -d 'Also run `amtool check-config` on the result (when amtool is on PATH)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-alertmanager" -l explain -d 'Print which receiver each generated alert reaches (as `amtool config routes test` would); with -o the file is written too'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-alertmanager" -l force -d 'Replace an existing file, keeping the old one as FILE.bak'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-alertmanager" -l diff -d 'Print a unified diff against the existing file and write nothing'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-alertmanager" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-alertmanager" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l dashboard -d 'Only this dashboard (repeatable) [default: all three]' -r -f -a "overview\t''
logger\t''
server\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -s o -l output -d 'Write the dashboards and dashboards.yml into DIR (created if missing); without it, one --dashboard is printed' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l grafana-path -d 'The dashboards\' folder inside the Grafana container, for dashboards.yml' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l range -d 'With --preview: how far back to draw' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l prometheus -d 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l prometheus-user -d 'Basic auth user for the Prometheus API' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l prometheus-password-file -d 'File holding the basic auth password for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l prometheus-bearer-token-file -d 'File holding a bearer token for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l ca-file -l prometheus-ca-file -d 'CA certificate (PEM) to verify Prometheus\' certificate with' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l timeout -l prometheus-timeout -d 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l max-body -l prometheus-max-body -d 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l force -d 'Replace existing files, keeping each old one as FILE.bak'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l diff -d 'Print a unified diff against the existing files and write nothing'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l preview -d 'Draw every panel\'s queries from a running Prometheus in the terminal instead of writing'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l insecure -l prometheus-insecure -d 'Do not verify Prometheus\' TLS certificate (warns; no variable: it is said on the command line)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -l follow-redirects -l prometheus-follow-redirects -d 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-dashboards" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -l prometheus-port -d 'Host port Prometheus is published on' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -l prometheus-config -d 'prometheus.yml to mount, relative to the compose file' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -l alertmanager-config -d 'alertmanager.yml to mount with --with-alertmanager (write it with gen-alertmanager)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -l rules -d 'A rules file (gen-rules) to mount beside prometheus.yml, for `gen-config --rule-file NAME`' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -l dashboards -d 'With --with-grafana: a gen-dashboards folder to mount (its dashboards.yml and the dashboards)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -l templates -d 'Directory whose files override the embedded templates of the same name' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -s o -l output -d 'Write to FILE instead of stdout (atomically; `-` is stdout)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -l with-grafana -d 'Add Grafana (port 3000) and its datasource provisioning file'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -l with-alertmanager -d 'Add Alertmanager (port 9093)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -l force -d 'Replace an existing file, keeping the old one as FILE.bak'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -l diff -d 'Print a unified diff against the existing file and write nothing'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-compose" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-stack" -s o -l output -d 'The folder to write the stack into (created if missing)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-stack" -l prometheus-port -d 'Host port Prometheus is published on' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-stack" -l runbook-url -d 'Runbook base URL for the alerts\' runbook_url annotation' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-stack" -l into -d 'The stack\'s prometheus.yml is this existing file with the stack\'s jobs, rule file and Alertmanager spliced in (its other jobs, sections and comments kept); FILE itself is not changed unless it is DIR/prometheus.yml' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-stack" -l templates -d 'Directory whose files override the embedded templates of the same name' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-stack" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-stack" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-stack" -l force -d 'Replace existing files, keeping each old one as FILE.bak'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-stack" -l diff -d 'Print a unified diff against the existing files and write nothing'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-stack" -l check -d 'Run promtool (config, rules, rule tests) and amtool on the stack before writing'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-stack" -l adopt -d 'With --into: replace a job of a managed job\'s name that gpucharts-mon did not write (else exit 2)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-stack" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-stack" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-operator" -s o -l output -d 'The folder to write the resources into (created if missing)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-operator" -l namespace -d 'The namespace the resources are created in [default: kubectl\'s]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-operator" -l label -d 'A label on every resource, KEY=VALUE (repeatable): what the Prometheus resource\'s podMonitorSelector and ruleSelector pick' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-operator" -l runbook-url -d 'Runbook base URL for the alerts\' runbook_url annotation' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-operator" -l templates -d 'Directory whose files override the embedded templates of the same name' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-operator" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-operator" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-operator" -l force -d 'Replace existing files, keeping each old one as FILE.bak'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-operator" -l diff -d 'Print a unified diff against the existing files and write nothing'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-operator" -l via-service -d 'ServiceMonitors: scrape each service through its Service\'s endpoints'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-operator" -l rbac -d 'Also write rbac.yaml: ServiceAccount and (Cluster)Role(Binding) for a Prometheus run without the operator'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-operator" -l check -d 'Run promtool check rules on the PrometheusRule\'s groups before writing'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-operator" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand gen-operator" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l job -d 'Only targets whose job matches this regex (anchored, like PromQL =~) [default: the inventory\'s job names]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l expect -d 'Require a job with at least N active targets, JOB or JOB=N (repeatable)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l wait -d 'Poll until the checks pass or this much time has passed' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l output-format -d 'Report format (`--output` is an old spelling)' -r -f -a "table\t''
json\t''
yaml\t''
junit\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l cluster -d 'How several --prometheus URLs relate (the inventory\'s prometheus.servers say it otherwise)' -r -f -a "shards\t'Hashmod shards: every target scraped by exactly one'
replicas\t'One HA group: the same targets everywhere'"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l jq -d 'Run a jq filter on the raw API answer and print its results as jq does' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l prometheus -d 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l prometheus-user -d 'Basic auth user for the Prometheus API' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l prometheus-password-file -d 'File holding the basic auth password for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l prometheus-bearer-token-file -d 'File holding a bearer token for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l ca-file -l prometheus-ca-file -d 'CA certificate (PEM) to verify Prometheus\' certificate with' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l timeout -l prometheus-timeout -d 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l max-body -l prometheus-max-body -d 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l dropped -d 'Also list dropped targets with their discovered labels'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -s r -l raw-output -d 'With --jq: print strings without quotes (jq -r)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -s C -l compact-output -d 'With --jq: one compact line per value (jq -c)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l insecure -l prometheus-insecure -d 'Do not verify Prometheus\' TLS certificate (warns; no variable: it is said on the command line)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -l follow-redirects -l prometheus-follow-redirects -d 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand check-targets" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l range -d 'Query the last DURATION (a range query) and draw each series as a chart' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l step -d 'With --range: seconds between points [default: the range over the chart width]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l output-format -d 'Report format (`--output` is an old spelling)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l jq -d 'Run a jq filter on the raw API answer and print its results as jq does' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l prometheus -d 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l prometheus-user -d 'Basic auth user for the Prometheus API' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l prometheus-password-file -d 'File holding the basic auth password for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l prometheus-bearer-token-file -d 'File holding a bearer token for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l ca-file -l prometheus-ca-file -d 'CA certificate (PEM) to verify Prometheus\' certificate with' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l timeout -l prometheus-timeout -d 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l max-body -l prometheus-max-body -d 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l fail-empty -d 'Exit 1 when the result is empty'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -s r -l raw-output -d 'With --jq: print strings without quotes (jq -r)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -s C -l compact-output -d 'With --jq: one compact line per value (jq -c)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l insecure -l prometheus-insecure -d 'Do not verify Prometheus\' TLS certificate (warns; no variable: it is said on the command line)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -l follow-redirects -l prometheus-follow-redirects -d 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand query" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l pushgateway -d 'The Pushgateway\'s base URL, e.g. http://localhost:9091' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l prometheus -d 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l prometheus-user -d 'Basic auth user for the Prometheus API' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l prometheus-password-file -d 'File holding the basic auth password for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l prometheus-bearer-token-file -d 'File holding a bearer token for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l ca-file -l prometheus-ca-file -d 'CA certificate (PEM) to verify Prometheus\' certificate with' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l timeout -l prometheus-timeout -d 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l max-body -l prometheus-max-body -d 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l quiet-for -d 'A GPU Charts group pushed within this long means something still pushes [default: 3 scrape intervals]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l rule-file -d 'A rule file to check for push-only labels (repeatable)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l dashboards -d 'A folder of Grafana dashboards (*.json) to check for push-only labels' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l output-format -d 'Report format (`--output` is an old spelling)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l insecure -l prometheus-insecure -d 'Do not verify Prometheus\' TLS certificate (warns; no variable: it is said on the command line)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l follow-redirects -l prometheus-follow-redirects -d 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l delete-migrated -d 'Delete the GPU Charts groups whose families all arrive by pull (never another job\'s), then confirm they are gone'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -l dry-run -d 'With --delete-migrated: list the DELETE requests, send none'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand migrate" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l method -d 'How to ask Prometheus to reload' -r -f -a "http\t'POST /-/reload (needs --web.enable-lifecycle)'
signal\t'SIGHUP to the Prometheus process'
auto\t'http, falling back to signal on 403 when exactly one local Prometheus runs'"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l pid -d 'PID of the Prometheus process to signal' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l pid-file -d 'File holding the PID of the Prometheus process [default: inventory]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l config-file -d 'The prometheus.yml Prometheus runs, validated before reloading [default: inventory]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l prometheus -d 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l prometheus-user -d 'Basic auth user for the Prometheus API' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l prometheus-password-file -d 'File holding the basic auth password for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l prometheus-bearer-token-file -d 'File holding a bearer token for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l ca-file -l prometheus-ca-file -d 'CA certificate (PEM) to verify Prometheus\' certificate with' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l timeout -l prometheus-timeout -d 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l max-body -l prometheus-max-body -d 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l no-check -d 'Reload even when the config file fails validation'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l dry-run -d 'Validate and say what would be done; send nothing'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l insecure -l prometheus-insecure -d 'Do not verify Prometheus\' TLS certificate (warns; no variable: it is said on the command line)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -l follow-redirects -l prometheus-follow-redirects -d 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand reload" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -l allow -d 'Source allowed to reach the metrics ports, ADDR or ADDR/PREFIX (repeatable) [default: inventory]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -l port -d 'Port to protect (repeatable) [default: the services\' metrics ports, 9090 and 9091]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -l format -d 'Output format' -r -f -a "iptables\t'A shell script of iptables/ip6tables commands (idempotent)'
iptables-restore\t'A shell script loading one family with iptables-restore --noflush, atomically'
nft\t'A shell script loading one inet table with nft -f (checks the table is the tool\'s own)'
nft-ruleset\t'A bare nft -f ruleset, for include from /etc/nftables.conf (no checks possible)'"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -l chain -d 'The tool\'s own chain (iptables) or table (nft, lower-cased) name; never a built-in or Docker\'s' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -l interface -d 'Only filter traffic arriving on this interface' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -l family -d 'Only this address family [default: both; iptables-restore: 4]' -r -f -a "4\t''
6\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -s o -l output -d 'Write to FILE instead of stdout (atomically; `-` is stdout)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -l docker -d 'Protect ports that Docker publishes: rules hook into DOCKER-USER (forwarded, DNAT-ed traffic), not INPUT'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -l remove -d 'Emit exactly what undoes the rules'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -l allow-any -d 'Allow sources that together cover all of IPv4 or IPv6 (otherwise refused as meaningless)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -l force -d 'Replace an existing file, keeping the old one as FILE.bak'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -l diff -d 'Print a unified diff against the existing file and write nothing'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand firewall" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand lint" -l format -d 'Input format' -r -f -a "auto\t'OpenMetrics when the input ends with `# EOF` or uses OpenMetrics-only metadata'
text\t'Prometheus text format 0.0.4'
openmetrics\t'OpenMetrics 1.0 text'"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand lint" -l content-type -d 'The Content-Type the endpoint answers with (e.g. from `curl -sI`): the format is chosen from it as Prometheus chooses, and 3.x\'s refusal of a blank or unknown one is reported' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand lint" -l prometheus-version -d 'Judge as this Prometheus does: which problems fail its scrape (e.g. UTF-8 names are fine for 3) [default: the inventory\'s prometheus.version, else 3]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand lint" -l service -d 'Check names against this GPU Charts service\'s prefix and families' -r -f -a "logger\t''
server\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand lint" -l output-format -d 'Report format (`--output` is an old spelling)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand lint" -l max-series -d 'Fail when the exposition has more series than this' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand lint" -l max-family-series -d 'Fail when one family has more series than this' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand lint" -l prefix -d 'Expected metric name prefix (repeatable) [default: the service\'s, from the catalogue]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand lint" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand lint" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand lint" -l strict -d 'Fail on warnings too, not only on errors'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand lint" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l logger -d 'A logger endpoint, HOST:PORT or URL (repeatable) [default: inventory, else localhost:9090]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l server -d 'A server endpoint, HOST:PORT or URL (repeatable) [default: inventory, else localhost:9091]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l target -d 'Any exporter\'s metrics URL, NAME=URL (repeatable)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l from-config -d 'Every static target of every job in this prometheus.yml' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l concurrency -d 'At most this many endpoints at once' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l count -d 'Fetch each /metrics N times (min/median/p95/max)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l slow -d 'Warn when the median fetch is slower than this' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l timeout -d 'Fail a fetch after this long (Prometheus\' default scrape timeout)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l max-body -d 'Largest body accepted, all endpoints read at once counted together (suffixes KiB, MiB, GiB)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l prometheus-version -d 'Scrape as this Prometheus does: its Accept header, and 3\'s refusal of a missing or unknown Content-Type [default: the inventory\'s prometheus.version, else 3]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l prometheus -d 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l prometheus-user -d 'Basic auth user for the Prometheus API' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l prometheus-password-file -d 'File holding the basic auth password for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l prometheus-bearer-token-file -d 'File holding a bearer token for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l prometheus-ca-file -d 'CA certificate (PEM) to verify Prometheus\' certificate with' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l prometheus-timeout -d 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l prometheus-max-body -d 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l output-format -d 'Report format (`--output` is an old spelling)' -r -f -a "table\t''
json\t''
junit\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l scheme -d 'Scrape scheme' -r -f -a "http\t''
https\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l ca-file -d 'CA certificate file (PEM) to verify targets with' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l cert-file -d 'Client certificate (PEM) presented to targets (needs --key-file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l key-file -d 'Private key (PEM) of the client certificate (needs --cert-file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l tls-server-name -d 'Server name to verify target certificates against' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l basic-auth-user -d 'Basic auth user for scrapes (needs --basic-auth-password-file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l basic-auth-password-file -d 'File holding the basic auth password (secrets only by file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l bearer-token-file -d 'File holding a bearer token for scrapes' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l max-series -d 'Fail when the exposition has more series than this' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l max-family-series -d 'Fail when one family has more series than this' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l prefix -d 'Expected metric name prefix (repeatable) [default: the service\'s, from the catalogue]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l no-follow-redirects -d 'Do not follow redirects: a 3xx answer fails, as with Prometheus\' `follow_redirects: false`'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l require-families -d 'Fail when a catalogue family is absent (informational by default)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l prometheus-insecure -d 'Do not verify Prometheus\' TLS certificate (warns; no variable: it is said on the command line)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l prometheus-follow-redirects -d 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l insecure-skip-verify -d 'Do not verify target certificates'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -l strict -d 'Fail on warnings too, not only on errors'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand test-pull" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l logger-port -d 'Port of the demo logger' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l server-port -d 'Port of the demo server' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l bind -d 'Address to listen on' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l slow -d 'Delay every answer by this many milliseconds' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l fault -d 'Make one generated alert fire, the rest of the data staying healthy (repeatable)' -r -f -a "endpoint-down\t'/metrics answers 503 (MetricsEndpointDown)'
exchange-down\t'coinbase reports connection status 0 (ExchangeDisconnected)'
no-messages\t'coinbase delivers no messages (ExchangeNoMessages)'
errors\t'coinbase logs 6 errors per second (ExchangeErrorRate)'
reconnect-loop\t'coinbase reconnects every second (ExchangeReconnectionLoop)'
ws-latency\t'coinbase WebSocket latency in the seconds (WebsocketLatencyHigh)'
stale-data\t'coinbase BTC-USD last updated 15 minutes ago (StaleData)'
5xx\t'a third of the server\'s requests answer 500 (ServerErrorRatioHigh)'
slow-requests\t'server requests take seconds (ServerRequestLatencyHigh)'
cache-miss\t'half the cache lookups miss (CacheHitRatioLow)'
slow-queries\t'data queries take hundreds of milliseconds (SlowDataQueries)'"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l only -d 'Serve only this service, on METRICS_PORT when set (as the services do)' -r -f -a "logger\t''
server\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l metrics-port -d 'The port of the --only service, as the GPU Charts services read it' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l tls-cert -d 'Serve HTTPS with this certificate chain (PEM; needs --tls-key)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l tls-key -d 'Private key (PEM) of --tls-cert' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l tls-client-ca -d 'Require client certificates signed by this CA (PEM; needs --tls-cert)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l basic-auth-user -d 'Require HTTP basic auth with this user (needs --basic-auth-password-file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l basic-auth-password-file -d 'File holding the basic auth password' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l fail-health -d 'Answer /health with 503 and status "error"'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -l malformed -d 'Append a line that does not parse to /metrics'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand serve-demo" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand demo" -l output-format -d 'Report format (`--output` is an old spelling)' -r -f -a "table\t''
json\t''
junit\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand demo" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand demo" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand demo" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand demo" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l prometheus -d 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l prometheus-user -d 'Basic auth user for the Prometheus API' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l prometheus-password-file -d 'File holding the basic auth password for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l prometheus-bearer-token-file -d 'File holding a bearer token for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l prometheus-ca-file -d 'CA certificate (PEM) to verify Prometheus\' certificate with' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l prometheus-timeout -d 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l prometheus-max-body -d 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l timeout -d 'Bound on every check (DNS, connect, fetch, Prometheus)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l prometheus-version -d 'Judge the scrape as this Prometheus does (its Accept header; 3 refuses a missing or unknown Content-Type) [default: the inventory\'s prometheus.version, else 3]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l output-format -d 'Report format (`--output` is an old spelling)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l scheme -d 'Scrape scheme' -r -f -a "http\t''
https\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l ca-file -d 'CA certificate file (PEM) to verify targets with' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l cert-file -d 'Client certificate (PEM) presented to targets (needs --key-file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l key-file -d 'Private key (PEM) of the client certificate (needs --cert-file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l tls-server-name -d 'Server name to verify target certificates against' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l basic-auth-user -d 'Basic auth user for scrapes (needs --basic-auth-password-file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l basic-auth-password-file -d 'File holding the basic auth password (secrets only by file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l bearer-token-file -d 'File holding a bearer token for scrapes' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l prometheus-insecure -d 'Do not verify Prometheus\' TLS certificate (warns; no variable: it is said on the command line)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l prometheus-follow-redirects -d 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -l insecure-skip-verify -d 'Do not verify target certificates'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l config-file -d 'The prometheus.yml holding the job (`--config` is the inventory)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l job -d 'The job whose relabel_configs to run' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l targets -d 'Discovered label sets: a JSON/YAML list of label maps, or a saved /api/v1/targets answer (`-` for stdin)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l example -d 'Built-in discovered label sets for the generated discovery modes' -r -f -a "kubernetes-pod\t'Pods of the logger, the server (one on IPv6) and another app'
docker-container\t'Compose containers of the logger, the server (two ports) and a database'"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l prometheus-version -d 'Prometheus semantics (2: ^(?:re)$, default ports; 3: ^(?s:re)$, UTF-8 names) [default: --prometheus\'s version, else the inventory\'s prometheus.version, else 3]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l prometheus -d 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l prometheus-user -d 'Basic auth user for the Prometheus API' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l prometheus-password-file -d 'File holding the basic auth password for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l prometheus-bearer-token-file -d 'File holding a bearer token for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l prometheus-ca-file -d 'CA certificate (PEM) to verify Prometheus\' certificate with' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l prometheus-timeout -d 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l prometheus-max-body -d 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l expect-kept -d 'Fail (exit 1) unless exactly N targets are kept' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l output-format -d 'Report format (`--output` is an old spelling)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l trace -d 'Show the labels after every rule'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l prometheus-insecure -d 'Do not verify Prometheus\' TLS certificate (warns; no variable: it is said on the command line)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -l prometheus-follow-redirects -d 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand relabel" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l config-file -d 'prometheus.yml to validate [default: the inventory\'s prometheus.config_file]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l rule-file -d 'Rule file to check with promtool (repeatable) [default: the config\'s rule_files]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l prometheus -d 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l prometheus-user -d 'Basic auth user for the Prometheus API' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l prometheus-password-file -d 'File holding the basic auth password for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l prometheus-bearer-token-file -d 'File holding a bearer token for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l prometheus-ca-file -d 'CA certificate (PEM) to verify Prometheus\' certificate with' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l prometheus-timeout -d 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l prometheus-max-body -d 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l wait -d 'How long the targets may take to be scraped and up' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l skip -d 'Skip a stage on purpose (repeatable): a stage that cannot run (no config file, promtool missing, no Prometheus) fails unless skipped' -r -f -a "config\t''
rules\t''
test-pull\t''
targets\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l timeout -d 'Fail a fetch of an endpoint after this long' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l junit -d 'Write one JUnit report, a suite per stage, to FILE (replaced if it exists)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l scheme -d 'Scrape scheme' -r -f -a "http\t''
https\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l ca-file -d 'CA certificate file (PEM) to verify targets with' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l cert-file -d 'Client certificate (PEM) presented to targets (needs --key-file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l key-file -d 'Private key (PEM) of the client certificate (needs --cert-file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l tls-server-name -d 'Server name to verify target certificates against' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l basic-auth-user -d 'Basic auth user for scrapes (needs --basic-auth-password-file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l basic-auth-password-file -d 'File holding the basic auth password (secrets only by file)' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l bearer-token-file -d 'File holding a bearer token for scrapes' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l prometheus-insecure -d 'Do not verify Prometheus\' TLS certificate (warns; no variable: it is said on the command line)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l prometheus-follow-redirects -d 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -l insecure-skip-verify -d 'Do not verify target certificates'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand smoke" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l shards -d 'How many shards [default: the inventory\'s shard servers]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l targets -d 'Discovered targets: a JSON/YAML list of label maps, or a saved /api/v1/targets answer (`-` for stdin) [default: ask Prometheus]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l config-file -d 'The prometheus.yml whose jobs\' relabelling runs before sharding [default: the config gen-config writes for the inventory]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l prometheus-version -d 'Prometheus semantics (2: ^(?:re)$, default ports; 3: ^(?s:re)$, UTF-8 names) [default: the inventory\'s prometheus.version, else 3]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l output-format -d 'Report format (`--output` is an old spelling)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l prometheus -d 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l prometheus-user -d 'Basic auth user for the Prometheus API' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l prometheus-password-file -d 'File holding the basic auth password for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l prometheus-bearer-token-file -d 'File holding a bearer token for the Prometheus API' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l ca-file -l prometheus-ca-file -d 'CA certificate (PEM) to verify Prometheus\' certificate with' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l timeout -l prometheus-timeout -d 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l max-body -l prometheus-max-body -d 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets' -r
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l insecure -l prometheus-insecure -d 'Do not verify Prometheus\' TLS certificate (warns; no variable: it is said on the command line)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -l follow-redirects -l prometheus-follow-redirects -d 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand shard-plan" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand completions" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand completions" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand completions" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand completions" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand man" -l dir -d 'Write gpucharts-mon.1 and one gpucharts-mon-<command>.1 page per subcommand into DIR (else print the main page)' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand man" -s c -l config -d 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]' -r -F
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand man" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand man" -s h -l help -d 'Print help'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand man" -s V -l version -d 'Print version'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "init" -d 'Write a fully commented example inventory (gpucharts-mon.yaml)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "gen-config" -d 'Generate prometheus.yml (static, multi-instance, Kubernetes, Docker or file_sd)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "gen-rules" -d 'Generate Prometheus alerting rules for the GPU Charts services'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "gen-alertmanager" -d 'Generate alertmanager.yml: receivers (secrets by file), routes by severity, inhibition'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "gen-dashboards" -d 'Generate Grafana dashboards (overview, logger, server) and their provisioning file'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "gen-compose" -d 'Generate docker-compose.monitoring-pull.yml for the monitoring stack'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "gen-stack" -d 'Write the whole stack into a folder: prometheus.yml, rules and their tests, alertmanager.yml, Grafana, compose file'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "gen-operator" -d 'Generate prometheus-operator resources: a PodMonitor (or ServiceMonitor) per service, a PrometheusRule, RBAC'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "check-targets" -d 'Check that every GPU Charts target is scraped and healthy, through the Prometheus API'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "query" -d 'Run an instant PromQL query and show the result'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "migrate" -d 'From a Pushgateway to pull, step by step: what is done, what is not, the next command; deletes migrated groups'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "reload" -d 'Reload Prometheus\' configuration safely and confirm that it took'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "firewall" -d 'Generate firewall rules so only the Prometheus server reaches the metrics ports'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "lint" -d 'Parse and lint an exposition (file or stdin) the way Prometheus reads it'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "test-pull" -d 'Fetch, time, parse and lint /metrics and /health of every endpoint, concurrently'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "serve-demo" -d 'Serve demo logger and server endpoints with every catalogue family (until Ctrl-C)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "demo" -d 'With nothing running: start demo endpoints in-process and test-pull them'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "doctor" -d 'Walk the troubleshooting list for an endpoint and name the root cause'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "relabel" -d 'Show what a job\'s relabel rules do to discovered targets, as Prometheus would'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "smoke" -d 'The CI step in one command: config, rules, test-pull, and targets through Prometheus'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "shard-plan" -d 'Predict which of N hashmod shards scrapes each target, and the skew, before deploying'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "completions" -d 'Print a shell completion script (also checked in under completions/)'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "man" -d 'Print the man page (roff), or write one page per subcommand with --dir'
complete -c gpucharts-mon -n "__fish_gpucharts_mon_using_subcommand help; and not __fish_seen_subcommand_from init gen-config gen-rules gen-alertmanager gen-dashboards gen-compose gen-stack gen-operator check-targets query migrate reload firewall lint test-pull serve-demo demo doctor relabel smoke shard-plan completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
