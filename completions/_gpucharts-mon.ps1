
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'gpucharts-mon' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'gpucharts-mon'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'gpucharts-mon' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a fully commented example inventory (gpucharts-mon.yaml)')
            [CompletionResult]::new('gen-config', 'gen-config', [CompletionResultType]::ParameterValue, 'Generate prometheus.yml (static, multi-instance, Kubernetes, Docker or file_sd)')
            [CompletionResult]::new('gen-rules', 'gen-rules', [CompletionResultType]::ParameterValue, 'Generate Prometheus alerting rules for the GPU Charts services')
            [CompletionResult]::new('gen-alertmanager', 'gen-alertmanager', [CompletionResultType]::ParameterValue, 'Generate alertmanager.yml: receivers (secrets by file), routes by severity, inhibition')
            [CompletionResult]::new('gen-dashboards', 'gen-dashboards', [CompletionResultType]::ParameterValue, 'Generate Grafana dashboards (overview, logger, server) and their provisioning file')
            [CompletionResult]::new('gen-compose', 'gen-compose', [CompletionResultType]::ParameterValue, 'Generate docker-compose.monitoring-pull.yml for the monitoring stack')
            [CompletionResult]::new('gen-stack', 'gen-stack', [CompletionResultType]::ParameterValue, 'Write the whole stack into a folder: prometheus.yml, rules and their tests, alertmanager.yml, Grafana, compose file')
            [CompletionResult]::new('gen-operator', 'gen-operator', [CompletionResultType]::ParameterValue, 'Generate prometheus-operator resources: a PodMonitor (or ServiceMonitor) per service, a PrometheusRule, RBAC')
            [CompletionResult]::new('check-targets', 'check-targets', [CompletionResultType]::ParameterValue, 'Check that every GPU Charts target is scraped and healthy, through the Prometheus API')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Run an instant PromQL query and show the result')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'From a Pushgateway to pull, step by step: what is done, what is not, the next command; deletes migrated groups')
            [CompletionResult]::new('reload', 'reload', [CompletionResultType]::ParameterValue, 'Reload Prometheus'' configuration safely and confirm that it took')
            [CompletionResult]::new('firewall', 'firewall', [CompletionResultType]::ParameterValue, 'Generate firewall rules so only the Prometheus server reaches the metrics ports')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Parse and lint an exposition (file or stdin) the way Prometheus reads it')
            [CompletionResult]::new('test-pull', 'test-pull', [CompletionResultType]::ParameterValue, 'Fetch, time, parse and lint /metrics and /health of every endpoint, concurrently')
            [CompletionResult]::new('serve-demo', 'serve-demo', [CompletionResultType]::ParameterValue, 'Serve demo logger and server endpoints with every catalogue family (until Ctrl-C)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'With nothing running: start demo endpoints in-process and test-pull them')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Walk the troubleshooting list for an endpoint and name the root cause')
            [CompletionResult]::new('relabel', 'relabel', [CompletionResultType]::ParameterValue, 'Show what a job''s relabel rules do to discovered targets, as Prometheus would')
            [CompletionResult]::new('smoke', 'smoke', [CompletionResultType]::ParameterValue, 'The CI step in one command: config, rules, test-pull, and targets through Prometheus')
            [CompletionResult]::new('shard-plan', 'shard-plan', [CompletionResultType]::ParameterValue, 'Predict which of N hashmod shards scrapes each target, and the skew, before deploying')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (also checked in under completions/)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff), or write one page per subcommand with --dir')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gpucharts-mon;init' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the example inventory (`-` for stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write the example inventory (`-` for stdout)')
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'Directory whose files override the embedded templates of the same name')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;gen-config' {
            [CompletionResult]::new('--into', '--into', [CompletionResultType]::ParameterName, 'Splice the GPU Charts jobs into this existing prometheus.yml, leaving its other jobs, sections and comments as they are (written back with --force, compared with --diff); for an inventory of several servers, a folder of NAME.yml')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'Discovery mode for both services (the inventory can set one per service)')
            [CompletionResult]::new('--logger', '--logger', [CompletionResultType]::ParameterName, 'A logger instance to scrape (repeatable)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'A server instance to scrape (repeatable)')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'Value of the `environment` label')
            [CompletionResult]::new('--scrape-interval', '--scrape-interval', [CompletionResultType]::ParameterName, 'global.scrape_interval [default: 15s]')
            [CompletionResult]::new('--evaluation-interval', '--evaluation-interval', [CompletionResultType]::ParameterName, 'global.evaluation_interval [default: 15s]')
            [CompletionResult]::new('--scrape-timeout', '--scrape-timeout', [CompletionResultType]::ParameterName, 'global.scrape_timeout (not longer than the scrape interval)')
            [CompletionResult]::new('--external-label', '--external-label', [CompletionResultType]::ParameterName, 'An external label, KEY=VALUE (repeatable)')
            [CompletionResult]::new('--scrape-protocols', '--scrape-protocols', [CompletionResultType]::ParameterName, 'global.scrape_protocols, in order, comma-separated (Prometheus 3), e.g. PrometheusText1.0.0,PrometheusText0.0.4')
            [CompletionResult]::new('--fallback-scrape-protocol', '--fallback-scrape-protocol', [CompletionResultType]::ParameterName, 'Every GPU Charts job''s fallback_scrape_protocol (Prometheus 3): how to read answers with a blank or unknown Content-Type')
            [CompletionResult]::new('--pushgateway', '--pushgateway', [CompletionResultType]::ParameterName, 'Add the `pushgateway` transition job (honor_labels: true) scraping HOST:PORT, while pushing continues; drop the flag (and --into again) when migrate says it may go')
            [CompletionResult]::new('--self-scrape', '--self-scrape', [CompletionResultType]::ParameterName, 'Add the `prometheus` self-monitoring job scraping HOST:PORT')
            [CompletionResult]::new('--alertmanager', '--alertmanager', [CompletionResultType]::ParameterName, 'An Alertmanager to send alerts to (repeatable)')
            [CompletionResult]::new('--rule-file', '--rule-file', [CompletionResultType]::ParameterName, 'A rule file for rule_files (repeatable)')
            [CompletionResult]::new('--k8s-role', '--k8s-role', [CompletionResultType]::ParameterName, 'What to discover: pods, or a Service''s endpoints [default: pod]')
            [CompletionResult]::new('--k8s-namespace', '--k8s-namespace', [CompletionResultType]::ParameterName, 'Namespace to discover in (repeatable) [default: all]')
            [CompletionResult]::new('--k8s-app-label', '--k8s-app-label', [CompletionResultType]::ParameterName, 'Label key whose value names the app (repeatable) [default: app and app.kubernetes.io/name]')
            [CompletionResult]::new('--k8s-port-name', '--k8s-port-name', [CompletionResultType]::ParameterName, 'Scrape the container (or Service) port of this name [default: the service''s port number]')
            [CompletionResult]::new('--k8s-container', '--k8s-container', [CompletionResultType]::ParameterName, 'Regex over the container name, for pods whose containers declare no port')
            [CompletionResult]::new('--k8s-label-selector', '--k8s-label-selector', [CompletionResultType]::ParameterName, 'Label selector the API server applies, e.g. tier=backend')
            [CompletionResult]::new('--k8s-field-selector', '--k8s-field-selector', [CompletionResultType]::ParameterName, 'Field selector the API server applies, e.g. spec.nodeName=node-1')
            [CompletionResult]::new('--k8s-api-server', '--k8s-api-server', [CompletionResultType]::ParameterName, 'API server URL, for a Prometheus outside the cluster [default: in-cluster]')
            [CompletionResult]::new('--k8s-kubeconfig-file', '--k8s-kubeconfig-file', [CompletionResultType]::ParameterName, 'kubeconfig file Prometheus reads the API server and credentials from')
            [CompletionResult]::new('--k8s-ca-file', '--k8s-ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify the API server with')
            [CompletionResult]::new('--k8s-cert-file', '--k8s-cert-file', [CompletionResultType]::ParameterName, 'Client certificate (PEM) for the API server')
            [CompletionResult]::new('--k8s-key-file', '--k8s-key-file', [CompletionResultType]::ParameterName, 'Client key (PEM) for the API server')
            [CompletionResult]::new('--k8s-bearer-token-file', '--k8s-bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for the API server')
            [CompletionResult]::new('--docker-host', '--docker-host', [CompletionResultType]::ParameterName, 'Docker daemon address for docker_sd_configs [default: unix:///var/run/docker.sock]')
            [CompletionResult]::new('--docker-logger-service', '--docker-logger-service', [CompletionResultType]::ParameterName, 'Compose service name of the logger [default: logger]')
            [CompletionResult]::new('--docker-server-service', '--docker-server-service', [CompletionResultType]::ParameterName, 'Compose service name of the server [default: server]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Scrape scheme')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate file (PEM) to verify targets with')
            [CompletionResult]::new('--cert-file', '--cert-file', [CompletionResultType]::ParameterName, 'Client certificate (PEM) presented to targets (needs --key-file)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Private key (PEM) of the client certificate (needs --cert-file)')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Server name to verify target certificates against')
            [CompletionResult]::new('--basic-auth-user', '--basic-auth-user', [CompletionResultType]::ParameterName, 'Basic auth user for scrapes (needs --basic-auth-password-file)')
            [CompletionResult]::new('--basic-auth-password-file', '--basic-auth-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password (secrets only by file)')
            [CompletionResult]::new('--bearer-token-file', '--bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for scrapes')
            [CompletionResult]::new('--server-name', '--server-name', [CompletionResultType]::ParameterName, 'The config of this server of the inventory''s prometheus.servers (without it, -o DIR writes NAME.yml for each)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (atomically; `-` is stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (atomically; `-` is stdout)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--adopt', '--adopt', [CompletionResultType]::ParameterName, 'With --into: replace a job of a managed job''s name that gpucharts-mon did not write (else exit 2)')
            [CompletionResult]::new('--k8s-own-namespace', '--k8s-own-namespace', [CompletionResultType]::ParameterName, 'Also discover in the namespace Prometheus runs in')
            [CompletionResult]::new('--k8s-no-annotations', '--k8s-no-annotations', [CompletionResultType]::ParameterName, 'Ignore the prometheus.io/scrape, /port, /path and /scheme annotations')
            [CompletionResult]::new('--k8s-insecure-skip-verify', '--k8s-insecure-skip-verify', [CompletionResultType]::ParameterName, 'Do not verify the API server''s certificate')
            [CompletionResult]::new('--insecure-skip-verify', '--insecure-skip-verify', [CompletionResultType]::ParameterName, 'Do not verify target certificates')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Also run `promtool check config` on the result (when promtool is on PATH)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Show what each job''s relabel rules do to example discovered targets (kept or dropped, address, labels); with -o the config is written too')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing file, keeping the old one as FILE.bak')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print a unified diff against the existing file and write nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;gen-rules' {
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Override an alert''s threshold, ALERT=NUMBER or ALERT=PERCENT% for the ratio alerts (repeatable; see docs/generate.md for names)')
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'Override an alert''s `for` duration, ALERT=DURATION (repeatable)')
            [CompletionResult]::new('--runbook-url', '--runbook-url', [CompletionResultType]::ParameterName, 'Runbook base URL: every alert gets the annotation runbook_url=URL#alertname (lower case)')
            [CompletionResult]::new('--tests', '--tests', [CompletionResultType]::ParameterName, 'Also write, beside -o FILE, a `promtool test rules` suite named NAME: each alert fires on synthetic input and stays quiet on healthy input')
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'Directory whose files override the embedded templates of the same name')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (atomically; `-` is stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (atomically; `-` is stdout)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Also run `promtool check rules` (and `promtool test rules` on --tests) on the result (when promtool is on PATH)')
            [CompletionResult]::new('--pushgateway-alert', '--pushgateway-alert', [CompletionResultType]::ParameterName, 'Add PushedGroupStale for the push→pull transition: a GPU Charts group left in the Pushgateway that nothing pushes any more (on by itself when the inventory names prometheus.pushgateway)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing file, keeping the old one as FILE.bak')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print a unified diff against the existing file and write nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;gen-alertmanager' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (atomically; `-` is stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (atomically; `-` is stdout)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Also run `amtool check-config` on the result (when amtool is on PATH)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print which receiver each generated alert reaches (as `amtool config routes test` would); with -o the file is written too')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing file, keeping the old one as FILE.bak')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print a unified diff against the existing file and write nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;gen-dashboards' {
            [CompletionResult]::new('--dashboard', '--dashboard', [CompletionResultType]::ParameterName, 'Only this dashboard (repeatable) [default: all three]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the dashboards and dashboards.yml into DIR (created if missing); without it, one --dashboard is printed')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the dashboards and dashboards.yml into DIR (created if missing); without it, one --dashboard is printed')
            [CompletionResult]::new('--grafana-path', '--grafana-path', [CompletionResultType]::ParameterName, 'The dashboards'' folder inside the Grafana container, for dashboards.yml')
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'With --preview: how far back to draw')
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several')
            [CompletionResult]::new('--prometheus-user', '--prometheus-user', [CompletionResultType]::ParameterName, 'Basic auth user for the Prometheus API')
            [CompletionResult]::new('--prometheus-password-file', '--prometheus-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password for the Prometheus API')
            [CompletionResult]::new('--prometheus-bearer-token-file', '--prometheus-bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for the Prometheus API')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--prometheus-ca-file', '--prometheus-ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--prometheus-timeout', '--prometheus-timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('--prometheus-max-body', '--prometheus-max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing files, keeping each old one as FILE.bak')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print a unified diff against the existing files and write nothing')
            [CompletionResult]::new('--preview', '--preview', [CompletionResultType]::ParameterName, 'Draw every panel''s queries from a running Prometheus in the terminal instead of writing')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--prometheus-insecure', '--prometheus-insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--follow-redirects', '--follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('--prometheus-follow-redirects', '--prometheus-follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;gen-compose' {
            [CompletionResult]::new('--prometheus-port', '--prometheus-port', [CompletionResultType]::ParameterName, 'Host port Prometheus is published on')
            [CompletionResult]::new('--prometheus-config', '--prometheus-config', [CompletionResultType]::ParameterName, 'prometheus.yml to mount, relative to the compose file')
            [CompletionResult]::new('--alertmanager-config', '--alertmanager-config', [CompletionResultType]::ParameterName, 'alertmanager.yml to mount with --with-alertmanager (write it with gen-alertmanager)')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'A rules file (gen-rules) to mount beside prometheus.yml, for `gen-config --rule-file NAME`')
            [CompletionResult]::new('--dashboards', '--dashboards', [CompletionResultType]::ParameterName, 'With --with-grafana: a gen-dashboards folder to mount (its dashboards.yml and the dashboards)')
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'Directory whose files override the embedded templates of the same name')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (atomically; `-` is stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (atomically; `-` is stdout)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--with-grafana', '--with-grafana', [CompletionResultType]::ParameterName, 'Add Grafana (port 3000) and its datasource provisioning file')
            [CompletionResult]::new('--with-alertmanager', '--with-alertmanager', [CompletionResultType]::ParameterName, 'Add Alertmanager (port 9093)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing file, keeping the old one as FILE.bak')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print a unified diff against the existing file and write nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;gen-stack' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The folder to write the stack into (created if missing)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The folder to write the stack into (created if missing)')
            [CompletionResult]::new('--prometheus-port', '--prometheus-port', [CompletionResultType]::ParameterName, 'Host port Prometheus is published on')
            [CompletionResult]::new('--runbook-url', '--runbook-url', [CompletionResultType]::ParameterName, 'Runbook base URL for the alerts'' runbook_url annotation')
            [CompletionResult]::new('--into', '--into', [CompletionResultType]::ParameterName, 'The stack''s prometheus.yml is this existing file with the stack''s jobs, rule file and Alertmanager spliced in (its other jobs, sections and comments kept); FILE itself is not changed unless it is DIR/prometheus.yml')
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'Directory whose files override the embedded templates of the same name')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing files, keeping each old one as FILE.bak')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print a unified diff against the existing files and write nothing')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Run promtool (config, rules, rule tests) and amtool on the stack before writing')
            [CompletionResult]::new('--adopt', '--adopt', [CompletionResultType]::ParameterName, 'With --into: replace a job of a managed job''s name that gpucharts-mon did not write (else exit 2)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;gen-operator' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The folder to write the resources into (created if missing)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The folder to write the resources into (created if missing)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace the resources are created in [default: kubectl''s]')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'A label on every resource, KEY=VALUE (repeatable): what the Prometheus resource''s podMonitorSelector and ruleSelector pick')
            [CompletionResult]::new('--runbook-url', '--runbook-url', [CompletionResultType]::ParameterName, 'Runbook base URL for the alerts'' runbook_url annotation')
            [CompletionResult]::new('--templates', '--templates', [CompletionResultType]::ParameterName, 'Directory whose files override the embedded templates of the same name')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing files, keeping each old one as FILE.bak')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print a unified diff against the existing files and write nothing')
            [CompletionResult]::new('--via-service', '--via-service', [CompletionResultType]::ParameterName, 'ServiceMonitors: scrape each service through its Service''s endpoints')
            [CompletionResult]::new('--rbac', '--rbac', [CompletionResultType]::ParameterName, 'Also write rbac.yaml: ServiceAccount and (Cluster)Role(Binding) for a Prometheus run without the operator')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Run promtool check rules on the PrometheusRule''s groups before writing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;check-targets' {
            [CompletionResult]::new('--job', '--job', [CompletionResultType]::ParameterName, 'Only targets whose job matches this regex (anchored, like PromQL =~) [default: the inventory''s job names]')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'Require a job with at least N active targets, JOB or JOB=N (repeatable)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Poll until the checks pass or this much time has passed')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Report format (`--output` is an old spelling)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'How several --prometheus URLs relate (the inventory''s prometheus.servers say it otherwise)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Run a jq filter on the raw API answer and print its results as jq does')
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several')
            [CompletionResult]::new('--prometheus-user', '--prometheus-user', [CompletionResultType]::ParameterName, 'Basic auth user for the Prometheus API')
            [CompletionResult]::new('--prometheus-password-file', '--prometheus-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password for the Prometheus API')
            [CompletionResult]::new('--prometheus-bearer-token-file', '--prometheus-bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for the Prometheus API')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--prometheus-ca-file', '--prometheus-ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--prometheus-timeout', '--prometheus-timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('--prometheus-max-body', '--prometheus-max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--dropped', '--dropped', [CompletionResultType]::ParameterName, 'Also list dropped targets with their discovered labels')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'With --jq: print strings without quotes (jq -r)')
            [CompletionResult]::new('--raw-output', '--raw-output', [CompletionResultType]::ParameterName, 'With --jq: print strings without quotes (jq -r)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'With --jq: one compact line per value (jq -c)')
            [CompletionResult]::new('--compact-output', '--compact-output', [CompletionResultType]::ParameterName, 'With --jq: one compact line per value (jq -c)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--prometheus-insecure', '--prometheus-insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--follow-redirects', '--follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('--prometheus-follow-redirects', '--prometheus-follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;query' {
            [CompletionResult]::new('--range', '--range', [CompletionResultType]::ParameterName, 'Query the last DURATION (a range query) and draw each series as a chart')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'With --range: seconds between points [default: the range over the chart width]')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Report format (`--output` is an old spelling)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Run a jq filter on the raw API answer and print its results as jq does')
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several')
            [CompletionResult]::new('--prometheus-user', '--prometheus-user', [CompletionResultType]::ParameterName, 'Basic auth user for the Prometheus API')
            [CompletionResult]::new('--prometheus-password-file', '--prometheus-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password for the Prometheus API')
            [CompletionResult]::new('--prometheus-bearer-token-file', '--prometheus-bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for the Prometheus API')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--prometheus-ca-file', '--prometheus-ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--prometheus-timeout', '--prometheus-timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('--prometheus-max-body', '--prometheus-max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--fail-empty', '--fail-empty', [CompletionResultType]::ParameterName, 'Exit 1 when the result is empty')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'With --jq: print strings without quotes (jq -r)')
            [CompletionResult]::new('--raw-output', '--raw-output', [CompletionResultType]::ParameterName, 'With --jq: print strings without quotes (jq -r)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'With --jq: one compact line per value (jq -c)')
            [CompletionResult]::new('--compact-output', '--compact-output', [CompletionResultType]::ParameterName, 'With --jq: one compact line per value (jq -c)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--prometheus-insecure', '--prometheus-insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--follow-redirects', '--follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('--prometheus-follow-redirects', '--prometheus-follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;migrate' {
            [CompletionResult]::new('--pushgateway', '--pushgateway', [CompletionResultType]::ParameterName, 'The Pushgateway''s base URL, e.g. http://localhost:9091')
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several')
            [CompletionResult]::new('--prometheus-user', '--prometheus-user', [CompletionResultType]::ParameterName, 'Basic auth user for the Prometheus API')
            [CompletionResult]::new('--prometheus-password-file', '--prometheus-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password for the Prometheus API')
            [CompletionResult]::new('--prometheus-bearer-token-file', '--prometheus-bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for the Prometheus API')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--prometheus-ca-file', '--prometheus-ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--prometheus-timeout', '--prometheus-timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('--prometheus-max-body', '--prometheus-max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('--quiet-for', '--quiet-for', [CompletionResultType]::ParameterName, 'A GPU Charts group pushed within this long means something still pushes [default: 3 scrape intervals]')
            [CompletionResult]::new('--rule-file', '--rule-file', [CompletionResultType]::ParameterName, 'A rule file to check for push-only labels (repeatable)')
            [CompletionResult]::new('--dashboards', '--dashboards', [CompletionResultType]::ParameterName, 'A folder of Grafana dashboards (*.json) to check for push-only labels')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Report format (`--output` is an old spelling)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--prometheus-insecure', '--prometheus-insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--follow-redirects', '--follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('--prometheus-follow-redirects', '--prometheus-follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('--delete-migrated', '--delete-migrated', [CompletionResultType]::ParameterName, 'Delete the GPU Charts groups whose families all arrive by pull (never another job''s), then confirm they are gone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --delete-migrated: list the DELETE requests, send none')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;reload' {
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'How to ask Prometheus to reload')
            [CompletionResult]::new('--pid', '--pid', [CompletionResultType]::ParameterName, 'PID of the Prometheus process to signal')
            [CompletionResult]::new('--pid-file', '--pid-file', [CompletionResultType]::ParameterName, 'File holding the PID of the Prometheus process [default: inventory]')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'The prometheus.yml Prometheus runs, validated before reloading [default: inventory]')
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several')
            [CompletionResult]::new('--prometheus-user', '--prometheus-user', [CompletionResultType]::ParameterName, 'Basic auth user for the Prometheus API')
            [CompletionResult]::new('--prometheus-password-file', '--prometheus-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password for the Prometheus API')
            [CompletionResult]::new('--prometheus-bearer-token-file', '--prometheus-bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for the Prometheus API')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--prometheus-ca-file', '--prometheus-ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--prometheus-timeout', '--prometheus-timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('--prometheus-max-body', '--prometheus-max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--no-check', '--no-check', [CompletionResultType]::ParameterName, 'Reload even when the config file fails validation')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Validate and say what would be done; send nothing')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--prometheus-insecure', '--prometheus-insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--follow-redirects', '--follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('--prometheus-follow-redirects', '--prometheus-follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;firewall' {
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Source allowed to reach the metrics ports, ADDR or ADDR/PREFIX (repeatable) [default: inventory]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to protect (repeatable) [default: the services'' metrics ports, 9090 and 9091]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--chain', '--chain', [CompletionResultType]::ParameterName, 'The tool''s own chain (iptables) or table (nft, lower-cased) name; never a built-in or Docker''s')
            [CompletionResult]::new('--interface', '--interface', [CompletionResultType]::ParameterName, 'Only filter traffic arriving on this interface')
            [CompletionResult]::new('--family', '--family', [CompletionResultType]::ParameterName, 'Only this address family [default: both; iptables-restore: 4]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (atomically; `-` is stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (atomically; `-` is stdout)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--docker', '--docker', [CompletionResultType]::ParameterName, 'Protect ports that Docker publishes: rules hook into DOCKER-USER (forwarded, DNAT-ed traffic), not INPUT')
            [CompletionResult]::new('--remove', '--remove', [CompletionResultType]::ParameterName, 'Emit exactly what undoes the rules')
            [CompletionResult]::new('--allow-any', '--allow-any', [CompletionResultType]::ParameterName, 'Allow sources that together cover all of IPv4 or IPv6 (otherwise refused as meaningless)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing file, keeping the old one as FILE.bak')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print a unified diff against the existing file and write nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;lint' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Input format')
            [CompletionResult]::new('--content-type', '--content-type', [CompletionResultType]::ParameterName, 'The Content-Type the endpoint answers with (e.g. from `curl -sI`): the format is chosen from it as Prometheus chooses, and 3.x''s refusal of a blank or unknown one is reported')
            [CompletionResult]::new('--prometheus-version', '--prometheus-version', [CompletionResultType]::ParameterName, 'Judge as this Prometheus does: which problems fail its scrape (e.g. UTF-8 names are fine for 3) [default: the inventory''s prometheus.version, else 3]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Check names against this GPU Charts service''s prefix and families')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Report format (`--output` is an old spelling)')
            [CompletionResult]::new('--max-series', '--max-series', [CompletionResultType]::ParameterName, 'Fail when the exposition has more series than this')
            [CompletionResult]::new('--max-family-series', '--max-family-series', [CompletionResultType]::ParameterName, 'Fail when one family has more series than this')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Expected metric name prefix (repeatable) [default: the service''s, from the catalogue]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail on warnings too, not only on errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;test-pull' {
            [CompletionResult]::new('--logger', '--logger', [CompletionResultType]::ParameterName, 'A logger endpoint, HOST:PORT or URL (repeatable) [default: inventory, else localhost:9090]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'A server endpoint, HOST:PORT or URL (repeatable) [default: inventory, else localhost:9091]')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Any exporter''s metrics URL, NAME=URL (repeatable)')
            [CompletionResult]::new('--from-config', '--from-config', [CompletionResultType]::ParameterName, 'Every static target of every job in this prometheus.yml')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'At most this many endpoints at once')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Fetch each /metrics N times (min/median/p95/max)')
            [CompletionResult]::new('--slow', '--slow', [CompletionResultType]::ParameterName, 'Warn when the median fetch is slower than this')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Fail a fetch after this long (Prometheus'' default scrape timeout)')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest body accepted, all endpoints read at once counted together (suffixes KiB, MiB, GiB)')
            [CompletionResult]::new('--prometheus-version', '--prometheus-version', [CompletionResultType]::ParameterName, 'Scrape as this Prometheus does: its Accept header, and 3''s refusal of a missing or unknown Content-Type [default: the inventory''s prometheus.version, else 3]')
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several')
            [CompletionResult]::new('--prometheus-user', '--prometheus-user', [CompletionResultType]::ParameterName, 'Basic auth user for the Prometheus API')
            [CompletionResult]::new('--prometheus-password-file', '--prometheus-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password for the Prometheus API')
            [CompletionResult]::new('--prometheus-bearer-token-file', '--prometheus-bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for the Prometheus API')
            [CompletionResult]::new('--prometheus-ca-file', '--prometheus-ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--prometheus-timeout', '--prometheus-timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--prometheus-max-body', '--prometheus-max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Report format (`--output` is an old spelling)')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Scrape scheme')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate file (PEM) to verify targets with')
            [CompletionResult]::new('--cert-file', '--cert-file', [CompletionResultType]::ParameterName, 'Client certificate (PEM) presented to targets (needs --key-file)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Private key (PEM) of the client certificate (needs --cert-file)')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Server name to verify target certificates against')
            [CompletionResult]::new('--basic-auth-user', '--basic-auth-user', [CompletionResultType]::ParameterName, 'Basic auth user for scrapes (needs --basic-auth-password-file)')
            [CompletionResult]::new('--basic-auth-password-file', '--basic-auth-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password (secrets only by file)')
            [CompletionResult]::new('--bearer-token-file', '--bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for scrapes')
            [CompletionResult]::new('--max-series', '--max-series', [CompletionResultType]::ParameterName, 'Fail when the exposition has more series than this')
            [CompletionResult]::new('--max-family-series', '--max-family-series', [CompletionResultType]::ParameterName, 'Fail when one family has more series than this')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Expected metric name prefix (repeatable) [default: the service''s, from the catalogue]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--no-follow-redirects', '--no-follow-redirects', [CompletionResultType]::ParameterName, 'Do not follow redirects: a 3xx answer fails, as with Prometheus'' `follow_redirects: false`')
            [CompletionResult]::new('--require-families', '--require-families', [CompletionResultType]::ParameterName, 'Fail when a catalogue family is absent (informational by default)')
            [CompletionResult]::new('--prometheus-insecure', '--prometheus-insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--prometheus-follow-redirects', '--prometheus-follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('--insecure-skip-verify', '--insecure-skip-verify', [CompletionResultType]::ParameterName, 'Do not verify target certificates')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail on warnings too, not only on errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;serve-demo' {
            [CompletionResult]::new('--logger-port', '--logger-port', [CompletionResultType]::ParameterName, 'Port of the demo logger')
            [CompletionResult]::new('--server-port', '--server-port', [CompletionResultType]::ParameterName, 'Port of the demo server')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Address to listen on')
            [CompletionResult]::new('--slow', '--slow', [CompletionResultType]::ParameterName, 'Delay every answer by this many milliseconds')
            [CompletionResult]::new('--fault', '--fault', [CompletionResultType]::ParameterName, 'Make one generated alert fire, the rest of the data staying healthy (repeatable)')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Serve only this service, on METRICS_PORT when set (as the services do)')
            [CompletionResult]::new('--metrics-port', '--metrics-port', [CompletionResultType]::ParameterName, 'The port of the --only service, as the GPU Charts services read it')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve HTTPS with this certificate chain (PEM; needs --tls-key)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) of --tls-cert')
            [CompletionResult]::new('--tls-client-ca', '--tls-client-ca', [CompletionResultType]::ParameterName, 'Require client certificates signed by this CA (PEM; needs --tls-cert)')
            [CompletionResult]::new('--basic-auth-user', '--basic-auth-user', [CompletionResultType]::ParameterName, 'Require HTTP basic auth with this user (needs --basic-auth-password-file)')
            [CompletionResult]::new('--basic-auth-password-file', '--basic-auth-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--fail-health', '--fail-health', [CompletionResultType]::ParameterName, 'Answer /health with 503 and status "error"')
            [CompletionResult]::new('--malformed', '--malformed', [CompletionResultType]::ParameterName, 'Append a line that does not parse to /metrics')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;demo' {
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Report format (`--output` is an old spelling)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;doctor' {
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several')
            [CompletionResult]::new('--prometheus-user', '--prometheus-user', [CompletionResultType]::ParameterName, 'Basic auth user for the Prometheus API')
            [CompletionResult]::new('--prometheus-password-file', '--prometheus-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password for the Prometheus API')
            [CompletionResult]::new('--prometheus-bearer-token-file', '--prometheus-bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for the Prometheus API')
            [CompletionResult]::new('--prometheus-ca-file', '--prometheus-ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--prometheus-timeout', '--prometheus-timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--prometheus-max-body', '--prometheus-max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on every check (DNS, connect, fetch, Prometheus)')
            [CompletionResult]::new('--prometheus-version', '--prometheus-version', [CompletionResultType]::ParameterName, 'Judge the scrape as this Prometheus does (its Accept header; 3 refuses a missing or unknown Content-Type) [default: the inventory''s prometheus.version, else 3]')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Report format (`--output` is an old spelling)')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Scrape scheme')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate file (PEM) to verify targets with')
            [CompletionResult]::new('--cert-file', '--cert-file', [CompletionResultType]::ParameterName, 'Client certificate (PEM) presented to targets (needs --key-file)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Private key (PEM) of the client certificate (needs --cert-file)')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Server name to verify target certificates against')
            [CompletionResult]::new('--basic-auth-user', '--basic-auth-user', [CompletionResultType]::ParameterName, 'Basic auth user for scrapes (needs --basic-auth-password-file)')
            [CompletionResult]::new('--basic-auth-password-file', '--basic-auth-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password (secrets only by file)')
            [CompletionResult]::new('--bearer-token-file', '--bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for scrapes')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--prometheus-insecure', '--prometheus-insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--prometheus-follow-redirects', '--prometheus-follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('--insecure-skip-verify', '--insecure-skip-verify', [CompletionResultType]::ParameterName, 'Do not verify target certificates')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;relabel' {
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'The prometheus.yml holding the job (`--config` is the inventory)')
            [CompletionResult]::new('--job', '--job', [CompletionResultType]::ParameterName, 'The job whose relabel_configs to run')
            [CompletionResult]::new('--targets', '--targets', [CompletionResultType]::ParameterName, 'Discovered label sets: a JSON/YAML list of label maps, or a saved /api/v1/targets answer (`-` for stdin)')
            [CompletionResult]::new('--example', '--example', [CompletionResultType]::ParameterName, 'Built-in discovered label sets for the generated discovery modes')
            [CompletionResult]::new('--prometheus-version', '--prometheus-version', [CompletionResultType]::ParameterName, 'Prometheus semantics (2: ^(?:re)$, default ports; 3: ^(?s:re)$, UTF-8 names) [default: --prometheus''s version, else the inventory''s prometheus.version, else 3]')
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several')
            [CompletionResult]::new('--prometheus-user', '--prometheus-user', [CompletionResultType]::ParameterName, 'Basic auth user for the Prometheus API')
            [CompletionResult]::new('--prometheus-password-file', '--prometheus-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password for the Prometheus API')
            [CompletionResult]::new('--prometheus-bearer-token-file', '--prometheus-bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for the Prometheus API')
            [CompletionResult]::new('--prometheus-ca-file', '--prometheus-ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--prometheus-timeout', '--prometheus-timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--prometheus-max-body', '--prometheus-max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('--expect-kept', '--expect-kept', [CompletionResultType]::ParameterName, 'Fail (exit 1) unless exactly N targets are kept')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Report format (`--output` is an old spelling)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Show the labels after every rule')
            [CompletionResult]::new('--prometheus-insecure', '--prometheus-insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--prometheus-follow-redirects', '--prometheus-follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;smoke' {
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'prometheus.yml to validate [default: the inventory''s prometheus.config_file]')
            [CompletionResult]::new('--rule-file', '--rule-file', [CompletionResultType]::ParameterName, 'Rule file to check with promtool (repeatable) [default: the config''s rule_files]')
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several')
            [CompletionResult]::new('--prometheus-user', '--prometheus-user', [CompletionResultType]::ParameterName, 'Basic auth user for the Prometheus API')
            [CompletionResult]::new('--prometheus-password-file', '--prometheus-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password for the Prometheus API')
            [CompletionResult]::new('--prometheus-bearer-token-file', '--prometheus-bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for the Prometheus API')
            [CompletionResult]::new('--prometheus-ca-file', '--prometheus-ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--prometheus-timeout', '--prometheus-timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--prometheus-max-body', '--prometheus-max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'How long the targets may take to be scraped and up')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Skip a stage on purpose (repeatable): a stage that cannot run (no config file, promtool missing, no Prometheus) fails unless skipped')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Fail a fetch of an endpoint after this long')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Write one JUnit report, a suite per stage, to FILE (replaced if it exists)')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Scrape scheme')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate file (PEM) to verify targets with')
            [CompletionResult]::new('--cert-file', '--cert-file', [CompletionResultType]::ParameterName, 'Client certificate (PEM) presented to targets (needs --key-file)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'Private key (PEM) of the client certificate (needs --cert-file)')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Server name to verify target certificates against')
            [CompletionResult]::new('--basic-auth-user', '--basic-auth-user', [CompletionResultType]::ParameterName, 'Basic auth user for scrapes (needs --basic-auth-password-file)')
            [CompletionResult]::new('--basic-auth-password-file', '--basic-auth-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password (secrets only by file)')
            [CompletionResult]::new('--bearer-token-file', '--bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for scrapes')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--prometheus-insecure', '--prometheus-insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--prometheus-follow-redirects', '--prometheus-follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('--insecure-skip-verify', '--insecure-skip-verify', [CompletionResultType]::ParameterName, 'Do not verify target certificates')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;shard-plan' {
            [CompletionResult]::new('--shards', '--shards', [CompletionResultType]::ParameterName, 'How many shards [default: the inventory''s shard servers]')
            [CompletionResult]::new('--targets', '--targets', [CompletionResultType]::ParameterName, 'Discovered targets: a JSON/YAML list of label maps, or a saved /api/v1/targets answer (`-` for stdin) [default: ask Prometheus]')
            [CompletionResult]::new('--config-file', '--config-file', [CompletionResultType]::ParameterName, 'The prometheus.yml whose jobs'' relabelling runs before sharding [default: the config gen-config writes for the inventory]')
            [CompletionResult]::new('--prometheus-version', '--prometheus-version', [CompletionResultType]::ParameterName, 'Prometheus semantics (2: ^(?:re)$, default ports; 3: ^(?s:re)$, UTF-8 names) [default: the inventory''s prometheus.version, else 3]')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Report format (`--output` is an old spelling)')
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several')
            [CompletionResult]::new('--prometheus-user', '--prometheus-user', [CompletionResultType]::ParameterName, 'Basic auth user for the Prometheus API')
            [CompletionResult]::new('--prometheus-password-file', '--prometheus-password-file', [CompletionResultType]::ParameterName, 'File holding the basic auth password for the Prometheus API')
            [CompletionResult]::new('--prometheus-bearer-token-file', '--prometheus-bearer-token-file', [CompletionResultType]::ParameterName, 'File holding a bearer token for the Prometheus API')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--prometheus-ca-file', '--prometheus-ca-file', [CompletionResultType]::ParameterName, 'CA certificate (PEM) to verify Prometheus'' certificate with')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--prometheus-timeout', '--prometheus-timeout', [CompletionResultType]::ParameterName, 'Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('--prometheus-max-body', '--prometheus-max-body', [CompletionResultType]::ParameterName, 'Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--prometheus-insecure', '--prometheus-insecure', [CompletionResultType]::ParameterName, 'Do not verify Prometheus'' TLS certificate (warns; no variable: it is said on the command line)')
            [CompletionResult]::new('--follow-redirects', '--follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('--prometheus-follow-redirects', '--prometheus-follow-redirects', [CompletionResultType]::ParameterName, 'Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;completions' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write gpucharts-mon.1 and one gpucharts-mon-<command>.1 page per subcommand into DIR (else print the main page)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'gpucharts-mon;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a fully commented example inventory (gpucharts-mon.yaml)')
            [CompletionResult]::new('gen-config', 'gen-config', [CompletionResultType]::ParameterValue, 'Generate prometheus.yml (static, multi-instance, Kubernetes, Docker or file_sd)')
            [CompletionResult]::new('gen-rules', 'gen-rules', [CompletionResultType]::ParameterValue, 'Generate Prometheus alerting rules for the GPU Charts services')
            [CompletionResult]::new('gen-alertmanager', 'gen-alertmanager', [CompletionResultType]::ParameterValue, 'Generate alertmanager.yml: receivers (secrets by file), routes by severity, inhibition')
            [CompletionResult]::new('gen-dashboards', 'gen-dashboards', [CompletionResultType]::ParameterValue, 'Generate Grafana dashboards (overview, logger, server) and their provisioning file')
            [CompletionResult]::new('gen-compose', 'gen-compose', [CompletionResultType]::ParameterValue, 'Generate docker-compose.monitoring-pull.yml for the monitoring stack')
            [CompletionResult]::new('gen-stack', 'gen-stack', [CompletionResultType]::ParameterValue, 'Write the whole stack into a folder: prometheus.yml, rules and their tests, alertmanager.yml, Grafana, compose file')
            [CompletionResult]::new('gen-operator', 'gen-operator', [CompletionResultType]::ParameterValue, 'Generate prometheus-operator resources: a PodMonitor (or ServiceMonitor) per service, a PrometheusRule, RBAC')
            [CompletionResult]::new('check-targets', 'check-targets', [CompletionResultType]::ParameterValue, 'Check that every GPU Charts target is scraped and healthy, through the Prometheus API')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Run an instant PromQL query and show the result')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'From a Pushgateway to pull, step by step: what is done, what is not, the next command; deletes migrated groups')
            [CompletionResult]::new('reload', 'reload', [CompletionResultType]::ParameterValue, 'Reload Prometheus'' configuration safely and confirm that it took')
            [CompletionResult]::new('firewall', 'firewall', [CompletionResultType]::ParameterValue, 'Generate firewall rules so only the Prometheus server reaches the metrics ports')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Parse and lint an exposition (file or stdin) the way Prometheus reads it')
            [CompletionResult]::new('test-pull', 'test-pull', [CompletionResultType]::ParameterValue, 'Fetch, time, parse and lint /metrics and /health of every endpoint, concurrently')
            [CompletionResult]::new('serve-demo', 'serve-demo', [CompletionResultType]::ParameterValue, 'Serve demo logger and server endpoints with every catalogue family (until Ctrl-C)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'With nothing running: start demo endpoints in-process and test-pull them')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Walk the troubleshooting list for an endpoint and name the root cause')
            [CompletionResult]::new('relabel', 'relabel', [CompletionResultType]::ParameterValue, 'Show what a job''s relabel rules do to discovered targets, as Prometheus would')
            [CompletionResult]::new('smoke', 'smoke', [CompletionResultType]::ParameterValue, 'The CI step in one command: config, rules, test-pull, and targets through Prometheus')
            [CompletionResult]::new('shard-plan', 'shard-plan', [CompletionResultType]::ParameterValue, 'Predict which of N hashmod shards scrapes each target, and the skew, before deploying')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (also checked in under completions/)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff), or write one page per subcommand with --dir')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'gpucharts-mon;help;init' {
            break
        }
        'gpucharts-mon;help;gen-config' {
            break
        }
        'gpucharts-mon;help;gen-rules' {
            break
        }
        'gpucharts-mon;help;gen-alertmanager' {
            break
        }
        'gpucharts-mon;help;gen-dashboards' {
            break
        }
        'gpucharts-mon;help;gen-compose' {
            break
        }
        'gpucharts-mon;help;gen-stack' {
            break
        }
        'gpucharts-mon;help;gen-operator' {
            break
        }
        'gpucharts-mon;help;check-targets' {
            break
        }
        'gpucharts-mon;help;query' {
            break
        }
        'gpucharts-mon;help;migrate' {
            break
        }
        'gpucharts-mon;help;reload' {
            break
        }
        'gpucharts-mon;help;firewall' {
            break
        }
        'gpucharts-mon;help;lint' {
            break
        }
        'gpucharts-mon;help;test-pull' {
            break
        }
        'gpucharts-mon;help;serve-demo' {
            break
        }
        'gpucharts-mon;help;demo' {
            break
        }
        'gpucharts-mon;help;doctor' {
            break
        }
        'gpucharts-mon;help;relabel' {
            break
        }
        'gpucharts-mon;help;smoke' {
            break
        }
        'gpucharts-mon;help;shard-plan' {
            break
        }
        'gpucharts-mon;help;completions' {
            break
        }
        'gpucharts-mon;help;man' {
            break
        }
        'gpucharts-mon;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
