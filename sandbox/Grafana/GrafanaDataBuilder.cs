namespace OkrHost.Sandbox.Grafana;

/// <summary>
/// Builds the organisation's Grafana: drift and finding annotations lined up with the shared incident
/// timeline plus a background of drifts, findings, deploy markers, alert annotations and decoy tags;
/// alert instances (firing for every incident still open); and Tempo traces with more errors while an
/// incident is open. Pure function of the organisation and the <c>grafana</c> random stream.
/// </summary>
internal static class GrafanaDataBuilder
{
    /// <summary>The uid of the organisation's Tempo data source.</summary>
    public const string TempoUid = "tempo";

    private static readonly string[] DriftThings =
    [
        "replica count differs from Git (3 → 5)",
        "terraform plan shows 4 unmanaged changes to security groups",
        "feature flag checkout_v2 toggled outside the rollout",
        "TLS policy on the load balancer downgraded to TLS 1.1",
        "helm values diverged: memory limit 512Mi live vs 1Gi in Git",
        "IAM role gained s3:* outside Terraform",
        "nginx.conf edited by hand: proxy_read_timeout 60s → 5s",
        "HPA max replicas changed in the console",
        "database parameter group differs: max_connections 200 vs 500",
        "CDN cache rule <b>bypass</b> added & not in code",
    ];

    private static readonly string[] FindingThings =
    [
        "CVE-2026-1312 in openssl 3.0.13",
        "missing rate limit on /login",
        "S3 bucket allows public listing",
        "container runs as root",
        "secrets in build logs",
        "outdated base image (debian 11)",
        "idle database instance costing $1.2k/month",
        "no alert on error budget burn",
        "admin endpoint reachable without VPN",
        "TLS certificate expires in 12 days",
    ];

    private static readonly (string Tag, int Weight)[] Severities =
    [
        ("severity:critical", 3), ("severity:CRITICAL", 2), ("severity:Critical", 2),
        ("severity:high", 6), ("severity:medium", 8), ("severity:low", 6),
    ];

    // Tags that a careless client would count as drifts or findings: near misses, different case,
    // and "drift:staging", which Grafana itself returns for tags=drift (a tag without a value matches
    // on the key alone).
    private static readonly string[][] DecoyTags =
    [
        ["drift-check", "env:prod"], ["drifted"], ["findings", "severity:critical"], ["deploy"],
        ["drift:staging"], ["Drift", "env:prod"], ["finding-review"], ["env:prod"],
    ];

    private static readonly string[] RootNames =
    [
        "GET /api/orders", "POST /api/checkout", "GET /api/search", "POST /api/login", "GET /health",
        "PUT /api/cart", "POST /webhooks/stripe", "GET /api/catalog/{id}", "consume orders.created",
    ];

    public static GrafanaData Build(SandboxOrg org)
    {
        var random = org.RandomFor("grafana");
        var data = new GrafanaData();
        var annotations = new List<GrafanaAnnotation>();
        foreach (var incident in org.Incidents)
        {
            AddIncidentAnnotations(org, random, incident, annotations);
        }

        while (annotations.Count < org.Sizes.Annotations)
        {
            annotations.Add(BackgroundAnnotation(org, random));
        }

        // Ids follow creation order, as Grafana's auto-increment does.
        data.Annotations.AddRange(annotations
            .OrderBy(a => a.Created)
            .Select((a, i) => a with { Id = i + 1 }));
        data.Alerts.AddRange(BuildAlerts(org, random));
        data.TempoDataSources[TempoUid] = BuildTraces(org, random);
        return data;
    }

    private static void AddIncidentAnnotations(SandboxOrg org, Random random, SandboxIncident incident, List<GrafanaAnnotation> into)
    {
        var service = ServiceOf(incident.Repository);
        var author = random.Next(org.People.Count);
        into.Add(Annotation(org, author, incident.DeployedAt, incident.DeployedAt,
            $"Deployed {incident.Repository} to production", ["deploy", $"service:{service}"]));

        var driftAt = incident.OpenedAt - TimeSpan.FromMinutes(10 + random.Next(110));
        // A drift of an incident still open is not resolved yet: a point annotation.
        var driftEnd = incident.ClosedAt is { } closed ? Min(closed + TimeSpan.FromMinutes(random.Next(60)), org.Now) : driftAt;
        into.Add(Annotation(org, author, driftAt, driftEnd,
            $"Config drift on {service} (prod): {DriftThings[random.Next(DriftThings.Length)]} — see {incident.ChannelName}",
            ["drift", "env:prod", $"service:{service}"]));

        var findingAt = incident.OpenedAt + TimeSpan.FromMinutes(5 + random.Next(55));
        if (findingAt < org.Now)
        {
            var severity = incident.Critical ? Severities[random.Next(3)].Tag : "severity:high";
            into.Add(Annotation(org, author, findingAt, findingAt,
                $"Incident finding on {service}: {incident.Title}", ["finding", severity, $"service:{service}"]));
        }
    }

    private static GrafanaAnnotation BackgroundAnnotation(SandboxOrg org, Random random)
    {
        var time = org.Start + TimeSpan.FromMinutes(random.NextDouble() * (org.Now - org.Start).TotalMinutes);
        time = new DateTimeOffset(time.Ticks - time.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        var service = ServiceOf(org.Repositories[random.Next(org.Repositories.Count)]);
        var author = random.Next(org.People.Count);
        var kind = random.Next(100);
        if (kind < 34)
        {
            var env = random.Next(4) == 0 ? "env:staging" : "env:prod";
            var end = random.Next(5) < 3 ? Min(time + TimeSpan.FromMinutes(30 + LogNormalMinutes(random, 600)), org.Now) : time;
            return Annotation(org, author, time, end,
                $"Config drift on {service} ({env[4..]}): {DriftThings[random.Next(DriftThings.Length)]}",
                ["drift", env, $"service:{service}"]);
        }

        if (kind < 61)
        {
            var severity = Weighted(random, Severities);
            return Annotation(org, author, time, time,
                $"Finding on {service}: {FindingThings[random.Next(FindingThings.Length)]}",
                ["finding", severity, $"service:{service}"]);
        }

        if (kind < 82)
        {
            var tags = DecoyTags[random.Next(DecoyTags.Length)];
            return Annotation(org, author, time, time, $"{string.Join(' ', tags)} note on {service}", [.. tags, $"service:{service}"]);
        }

        if (kind < 96)
        {
            return Annotation(org, author, time, time, $"Deployed acme/{service} to production", ["deploy", $"service:{service}"]);
        }

        return Annotation(org, author, time, time + TimeSpan.FromMinutes(5 + random.Next(90)),
            $"High error rate on {service}", []) with { AlertId = 1 + random.Next(40), UserId = 0, Login = "", Email = "" };
    }

    private static GrafanaAnnotation Annotation(SandboxOrg org, int person, DateTimeOffset time, DateTimeOffset end, string text, string[] tags)
    {
        var login = org.People[person].ToLowerInvariant().Replace(' ', '.');
        return new GrafanaAnnotation
        {
            Id = 0,
            Time = time,
            TimeEnd = end,
            Text = text,
            Tags = tags,
            DashboardUid = "platform-overview",
            PanelId = 2 + person % 6,
            UserId = 2 + person,
            Login = login,
            Email = login + "@acme.example",
            Created = time + TimeSpan.FromSeconds(20),
            Updated = end + TimeSpan.FromSeconds(20),
        };
    }

    private static List<GrafanaAlertInstance> BuildAlerts(SandboxOrg org, Random random)
    {
        var alerts = new List<GrafanaAlertInstance>();
        foreach (var incident in org.Incidents.Where(i => i.ClosedAt is null))
        {
            alerts.Add(Alert(ServiceOf(incident.Repository), $"{incident.Title} ({ServiceOf(incident.Repository)})",
                "Alerting", incident.OpenedAt - TimeSpan.FromMinutes(3), "1e+00", incident.Critical ? "critical" : "warning"));
        }

        // Every state spelling Grafana and Prometheus use, so that only the two firing ones count.
        (string Name, string State)[] standing =
        [
            ("High p99 latency", "firing"), ("Disk pressure on db-1", "Alerting"), ("Error budget burn", "Pending"),
            ("Queue depth", "pending"), ("Heartbeat missing", "Alerting (NoData)"), ("Probe failing", "Alerting (Error)"),
            ("Certificate expiry", "inactive"), ("Replica lag", "NoData"), ("Synthetic check", "Error"),
        ];
        foreach (var (name, state) in standing)
        {
            var service = ServiceOf(org.Repositories[random.Next(org.Repositories.Count)]);
            var active = state is "inactive" or "Normal" ? (DateTimeOffset?)null : org.Now - TimeSpan.FromMinutes(5 + random.Next(600));
            alerts.Add(Alert(service, $"{name} ({service})", state, active, state is "Alerting (NoData)" or "NoData" ? "" : "1e+00", "warning"));
        }

        foreach (var repository in org.Repositories)
        {
            var service = ServiceOf(repository);
            alerts.Add(Alert(service, $"5xx ratio ({service})", "Normal", null, "0e+00", "warning"));
            alerts.Add(Alert(service, $"CPU throttling ({service})", "Normal", null, "0e+00", "info"));
        }

        return alerts;
    }

    private static GrafanaAlertInstance Alert(string service, string name, string state, DateTimeOffset? activeAt, string value, string severity) => new(
        new Dictionary<string, string>
        {
            ["alertname"] = name,
            ["grafana_folder"] = "Platform",
            ["service"] = service,
            ["severity"] = severity,
        },
        new Dictionary<string, string> { ["summary"] = $"{name} on {service}" },
        state,
        activeAt,
        value);

    private static List<TempoTrace> BuildTraces(SandboxOrg org, Random random)
    {
        var traces = new List<TempoTrace>(org.Sizes.Traces);
        var span = (org.Now - org.Start).Ticks;
        for (var i = 0; i < org.Sizes.Traces; i++)
        {
            var start = org.Start + TimeSpan.FromTicks((long)(random.NextDouble() * span));
            var repository = org.Repositories[random.Next(org.Repositories.Count)];
            var duringIncident = org.Incidents.Any(incident => incident.Repository == repository
                && start >= incident.OpenedAt && start < (incident.ClosedAt ?? org.Now));
            var spans = 3 + (int)Math.Min(150, LogNormalMinutes(random, 18));
            var failed = random.NextDouble() < (duringIncident ? 0.45 : 0.06);
            var duration = random.Next(20) == 0 ? 2000 + random.Next(7000) : 5 + (int)Math.Min(1800, LogNormalMinutes(random, 120));
            traces.Add(new TempoTrace(
                TraceId: RandomHex(random, 32),
                RootServiceName: ServiceOf(repository),
                RootTraceName: RootNames[random.Next(RootNames.Length)],
                Start: start,
                DurationMs: duration,
                SpanCount: spans,
                ErrorSpanCount: failed ? 1 + random.Next(Math.Min(4, spans)) : 0));
        }

        return traces;
    }

    private static string ServiceOf(string repository) => repository[(repository.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    // Right-skewed positive values with the given median: durations of drifts and traces.
    private static double LogNormalMinutes(Random random, double median)
    {
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return median * Math.Exp(0.9 * normal);
    }

    private static string Weighted(Random random, (string Tag, int Weight)[] choices)
    {
        var pick = random.Next(choices.Sum(c => c.Weight));
        foreach (var (tag, weight) in choices)
        {
            if ((pick -= weight) < 0)
            {
                return tag;
            }
        }

        return choices[^1].Tag;
    }

    private static string RandomHex(Random random, int digits)
    {
        var bytes = new byte[digits / 2];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
