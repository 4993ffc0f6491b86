using OkrHost.Contracts;
using OkrHost.Contracts.Dora;

namespace OkrHost.Plugins.GitHub;

/// <summary>
/// Lead-time changes over GraphQL, exactly what REST compare <c>previous...deployment</c> lists: the commits
/// reachable from the deployed commit and not from the previous one's, merged branches included. Each
/// repository's history is read once, with each commit's parents, walking back from the newest deployed
/// commit; every deployment's changes are then a set difference on that graph. Where the walk cannot be
/// exact (a commit with more parents than were read, a base that is not in the history, a walk past
/// <see cref="MaxPagesPerWalk"/>), that pair is compared over REST; where its order is not children-first
/// (commit dates going backwards), every pair of that walk is, those settled before the break showed too.
/// A break below where the walk stops is not seen: with dates that never go backwards there is none.
/// </summary>
internal static class GraphQLLeadTimes
{
    /// <summary>History pages one walk may read before its remaining pairs are left to REST compare.</summary>
    public const int MaxPagesPerWalk = 50;

    public static async Task<List<ChangeFact>> CollectAsync(
        GitHubGraphQL graphQL, GitHubApi rest, IReadOnlyDictionary<string, List<(ResolvedDeployment Previous, ResolvedDeployment Deployment)>> pairs,
        CancellationToken cancellationToken)
    {
        var histories = pairs.Where(p => p.Value.Count > 0).Select(p => new RepositoryHistory(p.Key, p.Value)).ToList();
        var walking = histories.Where(h => h.NeedsPage).ToList();
        while (walking.Count > 0)
        {
            var pages = await graphQL.RepositoriesAsync<RepositoryHistory, RepositoryObject>(
                GitHubQueries.HistoryOperation, GitHubQueries.History, walking, h => h.Repository,
                (h, _) => [new("oid", h.Tip), new("after", h.After)],
                pageSize => [new("first", pageSize), new("parents", GitHubQueries.ParentsPerCommit)],
                cancellationToken);
            for (var i = 0; i < walking.Count; i++)
            {
                walking[i].Take(pages[i]?.Object?.History);
            }

            walking = histories.Where(h => h.NeedsPage).ToList();
        }

        var compared = await Task.WhenAll(histories.SelectMany(h => h.ForCompare.Select(pair =>
            LeadTimes.CompareAsync(rest, h.Repository, pair.Previous, pair.Deployment, cancellationToken))));
        return [.. histories.SelectMany(h => h.Changes), .. compared.SelectMany(c => c)];
    }

    internal sealed record RepositoryObject(CommitObject? Object);

    internal sealed record CommitObject(Page<CommitNode>? History);

    internal sealed record CommitNode(string Oid, DateTimeOffset AuthoredDate, string Message, string? Url, Page<ParentNode> Parents);

    internal sealed record ParentNode(string Oid);

    /// <summary>
    /// One repository's pairs and its current walk: the history from <see cref="Tip"/>, a prefix of <c>git
    /// log</c>'s order. While that order puts children before parents (checked on every commit read), a
    /// commit not reachable from the base inside the prefix is not reachable from it at all, so the
    /// difference is exact once the base is in the prefix and every commit of the difference has its
    /// parents there too.
    /// </summary>
    private sealed class RepositoryHistory
    {
        private readonly List<(ResolvedDeployment Previous, ResolvedDeployment Deployment)> _pending;
        private readonly Dictionary<string, Walked> _walked = new(StringComparer.Ordinal);
        private readonly HashSet<string> _walkedFrom = new(StringComparer.Ordinal);

        /// <summary>This walk's answers, kept until it ends: an order broken further down voids them too.</summary>
        private readonly List<((ResolvedDeployment Previous, ResolvedDeployment Deployment) Pair, List<ChangeFact> Changes)> _resolved = [];
        private int _pages;
        private bool _inexact;

        public RepositoryHistory(string repository, IEnumerable<(ResolvedDeployment Previous, ResolvedDeployment Deployment)> pairs)
        {
            Repository = repository;
            _pending = [.. pairs.OrderByDescending(p => p.Deployment.At).ThenByDescending(p => p.Deployment.Id, StringComparer.Ordinal)];
            Start();
        }

        public string Repository { get; }

        public string Tip { get; private set; } = "";

        public string? After { get; private set; }

        public bool NeedsPage { get; private set; }

        public List<ChangeFact> Changes { get; } = [];

        public List<(ResolvedDeployment Previous, ResolvedDeployment Deployment)> ForCompare { get; } = [];

        /// <summary>Takes the next page of the walk; null: GitHub does not know the tip.</summary>
        public void Take(Page<CommitNode>? page)
        {
            _pages++;
            if (page is null)
            {
                ForCompare.AddRange(_pending.Where(p => p.Deployment.Sha == Tip || p.Previous.Sha == Tip));
                _pending.RemoveAll(p => p.Deployment.Sha == Tip || p.Previous.Sha == Tip);
                Start();
                return;
            }

            foreach (var commit in page.Nodes)
            {
                var parents = commit.Parents.Nodes.Select(p => p.Oid).ToArray();
                _inexact |= commit.Parents.TotalCount > parents.Length || parents.Any(_walked.ContainsKey);
                _walked[commit.Oid] = new Walked(parents, commit.AuthoredDate, commit.Message, commit.Url);
            }

            After = page.PageInfo.EndCursor;
            foreach (var pair in _pending.Where(p => _walked.ContainsKey(p.Deployment.Sha)).ToList())
            {
                if (_inexact)
                {
                    ForCompare.Add(pair);
                }
                else if (Difference(pair.Previous.Sha, pair.Deployment.Sha) is { } difference)
                {
                    _resolved.Add((pair, [.. difference.Select(sha =>
                        LeadTimes.Change(pair.Deployment, sha, _walked[sha].AuthoredDate, _walked[sha].Message, _walked[sha].Url))]));
                }
                else
                {
                    continue;
                }

                _pending.Remove(pair);
            }

            if (!page.PageInfo.HasNextPage || _pages >= MaxPagesPerWalk || !_pending.Exists(p => _walked.ContainsKey(p.Deployment.Sha)))
            {
                // What is left was deployed from commits this walk has not reached, or has a base outside it:
                // a walk of its own.
                Start();
            }
        }

        /// <summary>
        /// Ends the walk so far (its answers kept, or all left to compare when its order broke anywhere),
        /// then starts one from the newest pending deployment's commit, or, once that was walked, from its
        /// base's (a rollback: the deployed commit is in the base's history); a pair both of whose walks are
        /// done without an answer is left to compare.
        /// </summary>
        private void Start()
        {
            if (_inexact)
            {
                ForCompare.AddRange(_resolved.Select(r => r.Pair));
            }
            else
            {
                Changes.AddRange(_resolved.SelectMany(r => r.Changes));
            }

            _resolved.Clear();
            _walked.Clear();
            _pages = 0;
            _inexact = false;
            After = null;
            while (_pending.Count > 0)
            {
                var (previous, deployment) = _pending[0];
                if (new[] { deployment.Sha, previous.Sha }.FirstOrDefault(_walkedFrom.Add) is { } tip)
                {
                    Tip = tip;
                    NeedsPage = true;
                    return;
                }

                ForCompare.Add(_pending[0]);
                _pending.RemoveAt(0);
            }

            NeedsPage = false;
        }

        /// <summary>Reachable from <paramref name="head"/> and not from <paramref name="base"/>; null until the walk has read enough.</summary>
        private List<string>? Difference(string @base, string head)
        {
            if (!_walked.ContainsKey(@base))
            {
                return null;
            }

            var behind = Reachable(@base);
            var difference = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal) { head };
            var waiting = new Stack<string>([head]);
            while (waiting.TryPop(out var sha))
            {
                if (behind.Contains(sha))
                {
                    continue;
                }

                difference.Add(sha);
                foreach (var parent in _walked[sha].Parents)
                {
                    if (!_walked.ContainsKey(parent))
                    {
                        return null;
                    }

                    if (seen.Add(parent))
                    {
                        waiting.Push(parent);
                    }
                }
            }

            return difference;
        }

        private HashSet<string> Reachable(string from)
        {
            var reached = new HashSet<string>(StringComparer.Ordinal) { from };
            var waiting = new Stack<string>([from]);
            while (waiting.TryPop(out var sha))
            {
                foreach (var parent in _walked[sha].Parents.Where(p => _walked.ContainsKey(p) && reached.Add(p)))
                {
                    waiting.Push(parent);
                }
            }

            return reached;
        }

        private sealed record Walked(string[] Parents, DateTimeOffset AuthoredDate, string Message, string? Url);
    }
}
