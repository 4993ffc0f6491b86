using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OkrHost.Sandbox.GitHub;

/// <summary>
/// Emulates the GitHub REST API as Octokit reaches it: repositories, deployments and their statuses,
/// compare, Actions workflows and runs, and <c>/rate_limit</c>; under <c>/github/api/v3/</c> (the
/// GitHub Enterprise layout Octokit uses for any host but github.com) and under <c>/github/</c>.
/// Link-header paging, rate-limit headers, ETags with 304 answers that cost no rate limit, and
/// GitHub's own error bodies. GraphQL at <c>/github/api/graphql</c> (<see cref="GitHubGraphQLEndpoint"/>).
/// </summary>
public sealed class GitHubEmulator : IServiceEmulator
{
    private const string Documentation = "https://docs.github.com/rest";
    private const int UnpagedCompareCommits = 250;
    private const int FilteredRunsCap = 1000;

    private readonly HourlyBudget _rate = new();

    /// <summary>Builds the emulator and its data for <paramref name="org"/>.</summary>
    public GitHubEmulator(SandboxOrg org)
    {
        Org = org;
        Data = new GitHubDataGenerator(org).Generate();
        GraphQL = new GitHubGraphQLEndpoint(this);
    }

    /// <inheritdoc/>
    public string Id => "github";

    /// <inheritdoc/>
    public string Token => "ghp_sandboxR3p0rtT0k3nF0rOkrH0st00000000";

    /// <summary>The organisation served.</summary>
    public SandboxOrg Org { get; }

    /// <summary>Repositories, commits, deployments and runs served; tests may edit them before a run.</summary>
    public GitHubData Data { get; }

    /// <summary>
    /// Primary rate limit per hour (GitHub Enterprise Cloud apps get 15,000, which the large profile's
    /// cold run needs). Once spent, answers are 403 "API rate limit exceeded" until the reset.
    /// </summary>
    public int RateLimit { get; set; } = 15_000;

    /// <summary>GraphQL points per hour; once spent, queries are answered with a <c>RATE_LIMITED</c> error until the reset.</summary>
    public int GraphQLPointLimit { get => GraphQL.PointLimit; set => GraphQL.PointLimit = value; }

    /// <summary>GraphQL points spent since the sandbox started.</summary>
    public long GraphQLPointsSpent => GraphQL.PointsSpent;

    /// <inheritdoc/>
    public long PointsSpent => GraphQLPointsSpent;

    private GitHubGraphQLEndpoint GraphQL { get; }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/api/graphql", GraphQL.HandleAsync);
        foreach (var prefix in new[] { "/api/v3", "" })
        {
            routes.MapGet(prefix + "/rate_limit", context => Respond(context, RateLimitAnswer(), counts: false));
            routes.MapGet(prefix + "/repos/{owner}/{repo}", Serve((context, repository) => Answer.Ok(RepositoryJson(context.Request, repository)), readsContents: false));
            routes.MapGet(prefix + "/repos/{owner}/{repo}/deployments", Serve(Deployments));
            routes.MapGet(prefix + "/repos/{owner}/{repo}/deployments/{id:long}/statuses", Serve(Statuses));
            routes.MapGet(prefix + "/repos/{owner}/{repo}/compare/{basehead}", Serve(Compare));
            routes.MapGet(prefix + "/repos/{owner}/{repo}/actions/workflows", Serve(Workflows));
            routes.MapGet(prefix + "/repos/{owner}/{repo}/actions/runs", Serve((context, repository) => Runs(context, repository, null)));
            routes.MapGet(prefix + "/repos/{owner}/{repo}/actions/workflows/{workflow}/runs", Serve(WorkflowRuns));
        }
    }

    /// <inheritdoc/>
    public JsonObject DemoSettings(Uri baseUrl) => new()
    {
        ["baseUrl"] = baseUrl.ToString(),
        ["repositories"] = new JsonArray(Org.Repositories.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
        ["environmentPattern"] = "(?i)prod",
    };

    /// <inheritdoc/>
    public long MinimumRequests(SandboxPeriod period) =>
        Data.Repositories.Sum(repository => GitHubMinimumRequests.ForRepository(repository, period, ProductionPattern));

    private static bool ProductionPattern(string environment) => environment.Contains("prod", StringComparison.OrdinalIgnoreCase);

    private RequestDelegate Serve(Func<HttpContext, GitHubRepositoryRecord, Answer> handler, bool readsContents = true) => context =>
    {
        var header = context.Request.Headers.Authorization.ToString();
        var authorized = header.Equals($"token {Token}", StringComparison.Ordinal) || header.Equals($"Bearer {Token}", StringComparison.Ordinal)
            || header.Equals($"bearer {Token}", StringComparison.Ordinal);
        if (!authorized)
        {
            return Respond(context, Answer.Error(StatusCodes.Status401Unauthorized, "Bad credentials"), counts: false);
        }

        var owner = (string)context.Request.RouteValues["owner"]!;
        var name = (string)context.Request.RouteValues["repo"]!;
        var repository = Data.Find(owner, name);
        if (repository is null)
        {
            return Respond(context, Answer.Error(StatusCodes.Status404NotFound, "Not Found"), counts: true);
        }

        if (readsContents && Data.ForbiddenRepositories.Contains(repository.FullName))
        {
            return Respond(context, Answer.Error(StatusCodes.Status403Forbidden, "Resource not accessible by personal access token"), counts: true);
        }

        return Respond(context, handler(context, repository), counts: true);
    };

    private Answer Deployments(HttpContext context, GitHubRepositoryRecord repository)
    {
        var query = context.Request.Query;
        IEnumerable<GitHubDeploymentRecord> deployments = repository.Deployments;
        if (query["environment"].ToString() is { Length: > 0 } environment)
        {
            deployments = deployments.Where(d => d.Environment == environment);
        }

        if (query["sha"].ToString() is { Length: > 0 } sha)
        {
            deployments = deployments.Where(d => d.Sha == sha);
        }

        if (query["ref"].ToString() is { Length: > 0 } @ref)
        {
            deployments = deployments.Where(d => d.Ref == @ref);
        }

        if (query["task"].ToString() is { Length: > 0 } task && task != "deploy")
        {
            deployments = [];
        }

        var ordered = deployments.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).ToList();
        return Paged(context.Request, ordered, 30, (request, d) => DeploymentJson(request, repository, d));
    }

    private Answer Statuses(HttpContext context, GitHubRepositoryRecord repository)
    {
        var id = long.Parse((string)context.Request.RouteValues["id"]!, CultureInfo.InvariantCulture);
        var deployment = repository.Deployments.Find(d => d.Id == id);
        if (deployment is null)
        {
            return Answer.Error(StatusCodes.Status404NotFound, "Not Found");
        }

        var ordered = deployment.Statuses.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).ToList();
        return Paged(context.Request, ordered, 30, (request, s) => StatusJson(request, repository, deployment, s));
    }

    private Answer Compare(HttpContext context, GitHubRepositoryRecord repository)
    {
        var basehead = (string)context.Request.RouteValues["basehead"]!;
        var parts = basehead.Split("...");
        if (parts.Length != 2)
        {
            return Answer.Error(StatusCodes.Status404NotFound, "Not Found");
        }

        var baseIndex = repository.IndexOf(parts[0]);
        var headIndex = repository.IndexOf(parts[1]);
        if (baseIndex < 0 || headIndex < 0)
        {
            return Answer.Error(StatusCodes.Status404NotFound, "Not Found");
        }

        var request = context.Request;
        var headHistory = repository.History(headIndex);
        var baseHistory = repository.History(baseIndex);
        var (fromHead, fromBase) = (headHistory.ToHashSet(), baseHistory.ToHashSet());
        var commits = headHistory.Where(index => !fromBase.Contains(index)).Reverse().ToList();
        var behind = baseHistory.Count(index => !fromHead.Contains(index));
        var mergeBase = headHistory.Find(fromBase.Contains);
        var paged = request.Query.ContainsKey("page") || request.Query.ContainsKey("per_page");
        var (page, perPage) = paged ? PageOf(request, 30) : (1, UnpagedCompareCommits);
        var slice = commits.Skip((page - 1) * perPage).Take(perPage).ToList();
        var web = WebRoot(request) + repository.FullName;
        var api = ApiRoot(request) + "repos/" + repository.FullName;
        var body = new JsonObject
        {
            ["url"] = $"{api}/compare/{basehead}",
            ["html_url"] = $"{web}/compare/{basehead}",
            ["permalink_url"] = $"{web}/compare/{repository.Owner}:{parts[0]}...{repository.Owner}:{parts[1]}",
            ["diff_url"] = $"{web}/compare/{basehead}.diff",
            ["patch_url"] = $"{web}/compare/{basehead}.patch",
            ["base_commit"] = CommitJson(request, repository, baseIndex),
            ["merge_base_commit"] = CommitJson(request, repository, mergeBase),
            ["status"] = commits.Count == 0 ? behind == 0 ? "identical" : "behind" : behind == 0 ? "ahead" : "diverged",
            ["ahead_by"] = commits.Count,
            ["behind_by"] = behind,
            ["total_commits"] = commits.Count,
            ["commits"] = new JsonArray(slice.Select(index => (JsonNode)CommitJson(request, repository, index)).ToArray()),
            ["files"] = new JsonArray(),
        };
        return new Answer(StatusCodes.Status200OK, body, paged ? LinkHeader(request, page, perPage, commits.Count) : null);
    }

    private Answer Workflows(HttpContext context, GitHubRepositoryRecord repository)
    {
        var request = context.Request;
        var (page, perPage) = PageOf(request, 30);
        var slice = repository.Workflows.Skip((page - 1) * perPage).Take(perPage);
        var body = new JsonObject
        {
            ["total_count"] = repository.Workflows.Count,
            ["workflows"] = new JsonArray(slice.Select(w => (JsonNode)WorkflowJson(request, repository, w)).ToArray()),
        };
        return new Answer(StatusCodes.Status200OK, body, LinkHeader(request, page, perPage, repository.Workflows.Count));
    }

    private Answer WorkflowRuns(HttpContext context, GitHubRepositoryRecord repository)
    {
        var key = (string)context.Request.RouteValues["workflow"]!;
        var workflow = repository.Workflows.Find(w =>
            w.Id.ToString(CultureInfo.InvariantCulture) == key || w.Path.EndsWith("/" + key, StringComparison.Ordinal));
        return workflow is null ? Answer.Error(StatusCodes.Status404NotFound, "Not Found") : Runs(context, repository, workflow);
    }

    private Answer Runs(HttpContext context, GitHubRepositoryRecord repository, GitHubWorkflowRecord? workflow)
    {
        var request = context.Request;
        var query = request.Query;
        IEnumerable<GitHubRunRecord> runs = repository.Runs;
        if (workflow is not null)
        {
            runs = runs.Where(r => r.WorkflowId == workflow.Id);
        }

        var filtered = false;
        if (query["branch"].ToString() is { Length: > 0 } branch)
        {
            runs = runs.Where(r => r.Branch == branch);
            filtered = true;
        }

        if (query["status"].ToString() is { Length: > 0 } status)
        {
            runs = runs.Where(r => r.Status == status || r.Conclusion == status);
            filtered = true;
        }

        if (query["head_sha"].ToString() is { Length: > 0 } headSha)
        {
            runs = runs.Where(r => r.HeadSha == headSha);
            filtered = true;
        }

        if (query["created"].ToString() is { Length: > 0 } created)
        {
            if (!CreatedFilter.TryParse(created, out var from, out var to))
            {
                return Answer.Error(StatusCodes.Status422UnprocessableEntity, "Validation Failed");
            }

            runs = runs.Where(r => r.CreatedAt >= from && r.CreatedAt < to);
            filtered = true;
        }

        var ordered = runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).ToList();
        var reachable = filtered ? ordered.Take(FilteredRunsCap).ToList() : ordered;
        var (page, perPage) = PageOf(request, 30);
        var slice = reachable.Skip((page - 1) * perPage).Take(perPage);
        var body = new JsonObject
        {
            ["total_count"] = ordered.Count,
            ["workflow_runs"] = new JsonArray(slice.Select(r => (JsonNode)RunJson(request, repository, r)).ToArray()),
        };
        return new Answer(StatusCodes.Status200OK, body, LinkHeader(request, page, perPage, reachable.Count));
    }

    private Answer RateLimitAnswer()
    {
        var (limit, remaining, used, reset) = RateState(spend: false);
        JsonObject Resource(int l, int r, int u, string name) =>
            new() { ["limit"] = l, ["used"] = u, ["remaining"] = r, ["reset"] = reset, ["resource"] = name };
        return Answer.Ok(new JsonObject
        {
            ["resources"] = new JsonObject
            {
                ["core"] = Resource(limit, remaining, used, "core"),
                ["search"] = Resource(30, 30, 0, "search"),
                ["graphql"] = Resource(5000, 5000, 0, "graphql"),
            },
            ["rate"] = Resource(limit, remaining, used, "core"),
        });
    }

    private async Task Respond(HttpContext context, Answer answer, bool counts)
    {
        var response = context.Response;
        byte[]? body = answer.Body is null ? null : JsonSerializer.SerializeToUtf8Bytes(answer.Body);
        string? etag = null;
        if (answer.Status == StatusCodes.Status200OK && body is not null)
        {
            etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..40]}\"";
            if (Matches(context.Request.Headers.IfNoneMatch.ToString(), etag))
            {
                // A conditional hit is free: GitHub does not count an authorised 304 against the limit.
                WriteRateHeaders(response, RateState(spend: false));
                response.Headers.ETag = etag;
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }

        if (counts)
        {
            var state = RateState(spend: true);
            if (state.Remaining < 0)
            {
                answer = Answer.Error(StatusCodes.Status403Forbidden, "API rate limit exceeded for installation. Check out the documentation for more information.");
                body = JsonSerializer.SerializeToUtf8Bytes(answer.Body);
                etag = null;
                state = state with { Remaining = 0 };
            }

            WriteRateHeaders(response, state);
        }
        else
        {
            WriteRateHeaders(response, RateState(spend: false));
        }

        response.StatusCode = answer.Status;
        response.Headers["X-GitHub-Media-Type"] = "github.v3; format=json";
        response.Headers["X-GitHub-Api-Version-Selected"] = "2022-11-28";
        if (etag is not null)
        {
            response.Headers.ETag = etag;
            response.Headers.CacheControl = "private, max-age=60, s-maxage=60";
            response.Headers.Vary = "Accept, Authorization, Cookie, X-GitHub-OTP";
        }

        if (answer.Link is not null)
        {
            response.Headers["Link"] = answer.Link;
        }

        if (body is not null)
        {
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private static bool Matches(string ifNoneMatch, string etag) =>
        ifNoneMatch.Length > 0 && ifNoneMatch.Split(',').Select(t => t.Trim()).Any(t => t == etag || t == "W/" + etag || t == "*");

    /// <summary>The primary limit after spending one request (when <paramref name="spend"/>); remaining -1 once it is spent.</summary>
    private RateSnapshot RateState(bool spend)
    {
        var (spent, used, resetAt) = _rate.Spend(spend ? 1 : 0, RateLimit);
        return new RateSnapshot(RateLimit, spent ? RateLimit - used : -1, used, resetAt.ToUnixTimeSeconds());
    }

    private static void WriteRateHeaders(HttpResponse response, RateSnapshot state)
    {
        response.Headers["x-ratelimit-limit"] = state.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining"] = Math.Max(0, state.Remaining).ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-used"] = state.Used.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-reset"] = state.Reset.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-resource"] = "core";
    }

    private static Answer Paged<T>(HttpRequest request, IReadOnlyList<T> items, int defaultPerPage, Func<HttpRequest, T, JsonObject> json)
    {
        var (page, perPage) = PageOf(request, defaultPerPage);
        var slice = items.Skip((page - 1) * perPage).Take(perPage).Select(item => (JsonNode)json(request, item)).ToArray();
        return new Answer(StatusCodes.Status200OK, new JsonArray(slice), LinkHeader(request, page, perPage, items.Count));
    }

    private static (int Page, int PerPage) PageOf(HttpRequest request, int defaultPerPage)
    {
        var page = int.TryParse(request.Query["page"], CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var perPage = int.TryParse(request.Query["per_page"], CultureInfo.InvariantCulture, out var n) && n > 0 ? Math.Min(n, 100) : defaultPerPage;
        return (page, perPage);
    }

    /// <summary>GitHub's Link header: next and last while there are more pages, first and prev after the first.</summary>
    private static string? LinkHeader(HttpRequest request, int page, int perPage, int total)
    {
        var last = Math.Max(1, (total + perPage - 1) / perPage);
        var links = new List<string>();
        if (page < last)
        {
            links.Add($"<{PageUrl(request, page + 1)}>; rel=\"next\"");
            links.Add($"<{PageUrl(request, last)}>; rel=\"last\"");
        }

        if (page > 1)
        {
            links.Add($"<{PageUrl(request, 1)}>; rel=\"first\"");
            links.Add($"<{PageUrl(request, Math.Min(page - 1, last))}>; rel=\"prev\"");
        }

        return links.Count == 0 ? null : string.Join(", ", links);
    }

    private static string PageUrl(HttpRequest request, int page)
    {
        var query = request.Query
            .Where(pair => pair.Key != "page")
            .Select(pair => $"{Uri.EscapeDataString(pair.Key)}={Uri.EscapeDataString(pair.Value.ToString())}")
            .Append($"page={page}");
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', query)}";
    }

    private static string Root(HttpRequest request) => $"{request.Scheme}://{request.Host}/github/";

    private static string ApiRoot(HttpRequest request) => Root(request) + "api/v3/";

    /// <summary>Web pages of this "GitHub Enterprise" live at the server root, as on a real GHE host.</summary>
    private static string WebRoot(HttpRequest request) => Root(request);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string NodeId(string kind, long id) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"0:{kind}{id}")).TrimEnd('=');

    private static JsonObject UserJson(HttpRequest request, string login)
    {
        var id = (long)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(login)), 0) % 90_000_000) + 1_000_000;
        var bot = login.EndsWith("[bot]", StringComparison.Ordinal);
        return new JsonObject
        {
            ["login"] = login,
            ["id"] = id,
            ["node_id"] = NodeId(bot ? "Bot" : "User", id),
            ["avatar_url"] = $"https://avatars.githubusercontent.com/u/{id}?v=4",
            ["url"] = ApiRoot(request) + "users/" + Uri.EscapeDataString(login),
            ["html_url"] = WebRoot(request) + Uri.EscapeDataString(login),
            ["type"] = bot ? "Bot" : "User",
            ["site_admin"] = false,
        };
    }

    private static JsonObject RepositoryJson(HttpRequest request, GitHubRepositoryRecord repository)
    {
        var api = ApiRoot(request) + "repos/" + repository.FullName;
        var updated = repository.Deployments.Select(d => d.CreatedAt).DefaultIfEmpty(repository.CreatedAt).Max();
        return new JsonObject
        {
            ["id"] = repository.Id,
            ["node_id"] = NodeId("Repository", repository.Id),
            ["name"] = repository.Name,
            ["full_name"] = repository.FullName,
            ["private"] = true,
            ["owner"] = UserJson(request, repository.Owner),
            ["html_url"] = WebRoot(request) + repository.FullName,
            ["description"] = $"The {repository.Name} service",
            ["fork"] = false,
            ["url"] = api,
            ["deployments_url"] = api + "/deployments",
            ["created_at"] = Time(repository.CreatedAt),
            ["updated_at"] = Time(updated),
            ["pushed_at"] = Time(updated),
            ["default_branch"] = repository.DefaultBranch,
            ["visibility"] = "private",
            ["archived"] = false,
            ["disabled"] = false,
            ["permissions"] = new JsonObject { ["admin"] = false, ["maintain"] = false, ["push"] = false, ["triage"] = false, ["pull"] = true },
        };
    }

    private static JsonObject DeploymentJson(HttpRequest request, GitHubRepositoryRecord repository, GitHubDeploymentRecord deployment)
    {
        var api = ApiRoot(request) + "repos/" + repository.FullName;
        var production = deployment.Environment == "production";
        return new JsonObject
        {
            ["url"] = $"{api}/deployments/{deployment.Id}",
            ["id"] = deployment.Id,
            ["node_id"] = NodeId("Deployment", deployment.Id),
            ["sha"] = deployment.Sha,
            ["ref"] = deployment.Ref,
            ["task"] = "deploy",
            ["payload"] = new JsonObject(),
            ["original_environment"] = deployment.Environment,
            ["environment"] = deployment.Environment,
            ["description"] = null,
            ["creator"] = UserJson(request, deployment.Creator),
            ["created_at"] = Time(deployment.CreatedAt),
            ["updated_at"] = Time(deployment.Statuses.Select(s => s.CreatedAt).DefaultIfEmpty(deployment.CreatedAt).Max()),
            ["statuses_url"] = $"{api}/deployments/{deployment.Id}/statuses",
            ["repository_url"] = api,
            ["transient_environment"] = deployment.Environment.StartsWith("preview", StringComparison.Ordinal),
            ["production_environment"] = production,
        };
    }

    private static JsonObject StatusJson(HttpRequest request, GitHubRepositoryRecord repository, GitHubDeploymentRecord deployment, GitHubStatusRecord status)
    {
        var api = ApiRoot(request) + "repos/" + repository.FullName;
        var log = $"{WebRoot(request)}{repository.FullName}/actions/runs/{deployment.Id}";
        return new JsonObject
        {
            ["url"] = $"{api}/deployments/{deployment.Id}/statuses/{status.Id}",
            ["id"] = status.Id,
            ["node_id"] = NodeId("DeploymentStatus", status.Id),
            ["state"] = status.State,
            ["creator"] = UserJson(request, deployment.Creator),
            ["description"] = status.Description,
            ["environment"] = deployment.Environment,
            ["target_url"] = log,
            ["log_url"] = log,
            ["environment_url"] = deployment.Environment == "production" ? $"https://{repository.Name}.acme.example" : "",
            ["created_at"] = Time(status.CreatedAt),
            ["updated_at"] = Time(status.CreatedAt),
            ["deployment_url"] = $"{api}/deployments/{deployment.Id}",
            ["repository_url"] = api,
        };
    }

    private static JsonObject CommitJson(HttpRequest request, GitHubRepositoryRecord repository, int index)
    {
        var commit = repository.Commits[index];
        var api = ApiRoot(request) + "repos/" + repository.FullName;
        var web = WebRoot(request) + repository.FullName;
        var person = new JsonObject { ["name"] = commit.AuthorName, ["email"] = commit.AuthorEmail, ["date"] = Time(commit.AuthoredAt) };
        var login = commit.AuthorEmail[..commit.AuthorEmail.IndexOf('@', StringComparison.Ordinal)];
        var parents = new JsonArray(repository.ParentsOf(index).Select(parent => (JsonNode)new JsonObject
        {
            ["sha"] = repository.Commits[parent].Sha,
            ["url"] = $"{api}/commits/{repository.Commits[parent].Sha}",
            ["html_url"] = $"{web}/commit/{repository.Commits[parent].Sha}",
        }).ToArray());
        return new JsonObject
        {
            ["sha"] = commit.Sha,
            ["node_id"] = NodeId("Commit", index + repository.Id * 100_000),
            ["commit"] = new JsonObject
            {
                ["author"] = person,
                ["committer"] = person.DeepClone(),
                ["message"] = commit.Message,
                ["tree"] = new JsonObject { ["sha"] = commit.Sha[..20] + commit.Sha[..20], ["url"] = $"{api}/git/trees/{commit.Sha}" },
                ["url"] = $"{api}/git/commits/{commit.Sha}",
                ["comment_count"] = 0,
            },
            ["url"] = $"{api}/commits/{commit.Sha}",
            ["html_url"] = $"{web}/commit/{commit.Sha}",
            ["comments_url"] = $"{api}/commits/{commit.Sha}/comments",
            ["author"] = UserJson(request, login),
            ["committer"] = UserJson(request, "web-flow"),
            ["parents"] = parents,
        };
    }

    private static JsonObject WorkflowJson(HttpRequest request, GitHubRepositoryRecord repository, GitHubWorkflowRecord workflow) => new()
    {
        ["id"] = workflow.Id,
        ["node_id"] = NodeId("Workflow", workflow.Id),
        ["name"] = workflow.Name,
        ["path"] = workflow.Path,
        ["state"] = "active",
        ["created_at"] = Time(repository.CreatedAt),
        ["updated_at"] = Time(repository.CreatedAt),
        ["url"] = $"{ApiRoot(request)}repos/{repository.FullName}/actions/workflows/{workflow.Id}",
        ["html_url"] = $"{WebRoot(request)}{repository.FullName}/blob/{repository.DefaultBranch}/{workflow.Path}",
        ["badge_url"] = $"{WebRoot(request)}{repository.FullName}/workflows/{Uri.EscapeDataString(workflow.Name)}/badge.svg",
    };

    private static JsonObject RunJson(HttpRequest request, GitHubRepositoryRecord repository, GitHubRunRecord run)
    {
        var api = $"{ApiRoot(request)}repos/{repository.FullName}";
        var workflow = repository.Workflows.Find(w => w.Id == run.WorkflowId);
        var index = repository.IndexOf(run.HeadSha);
        var message = index >= 0 ? repository.Commits[index].Message : "Work in progress";
        return new JsonObject
        {
            ["id"] = run.Id,
            ["name"] = workflow?.Name,
            ["node_id"] = NodeId("WorkflowRun", run.Id),
            ["head_branch"] = run.Branch,
            ["head_sha"] = run.HeadSha,
            ["path"] = workflow?.Path,
            ["display_title"] = message.Split('\n')[0],
            ["run_number"] = run.RunNumber,
            ["event"] = "push",
            ["status"] = run.Status,
            ["conclusion"] = run.Conclusion,
            ["workflow_id"] = run.WorkflowId,
            ["check_suite_id"] = run.Id + 1,
            ["check_suite_node_id"] = NodeId("CheckSuite", run.Id + 1),
            ["url"] = $"{api}/actions/runs/{run.Id}",
            ["html_url"] = $"{WebRoot(request)}{repository.FullName}/actions/runs/{run.Id}",
            ["pull_requests"] = new JsonArray(),
            ["created_at"] = Time(run.CreatedAt),
            ["updated_at"] = Time(run.UpdatedAt),
            ["run_attempt"] = 1,
            ["run_started_at"] = Time(run.CreatedAt),
            ["jobs_url"] = $"{api}/actions/runs/{run.Id}/jobs",
            ["logs_url"] = $"{api}/actions/runs/{run.Id}/logs",
            ["check_suite_url"] = $"{api}/check-suites/{run.Id + 1}",
            ["artifacts_url"] = $"{api}/actions/runs/{run.Id}/artifacts",
            ["cancel_url"] = $"{api}/actions/runs/{run.Id}/cancel",
            ["rerun_url"] = $"{api}/actions/runs/{run.Id}/rerun",
            ["workflow_url"] = $"{api}/actions/workflows/{run.WorkflowId}",
            ["head_commit"] = new JsonObject
            {
                ["id"] = run.HeadSha,
                ["tree_id"] = run.HeadSha,
                ["message"] = message,
                ["timestamp"] = Time(run.CreatedAt),
            },
            ["repository"] = new JsonObject { ["id"] = repository.Id, ["name"] = repository.Name, ["full_name"] = repository.FullName },
            ["head_repository"] = new JsonObject { ["id"] = repository.Id, ["name"] = repository.Name, ["full_name"] = repository.FullName },
        };
    }

    private sealed record Answer(int Status, JsonNode? Body, string? Link = null)
    {
        public static Answer Ok(JsonNode body) => new(StatusCodes.Status200OK, body);

        public static Answer Error(int status, string message) =>
            new(status, new JsonObject { ["message"] = message, ["documentation_url"] = Documentation, ["status"] = status.ToString(CultureInfo.InvariantCulture) });
    }

    private readonly record struct RateSnapshot(int Limit, int Remaining, int Used, long Reset);
}
