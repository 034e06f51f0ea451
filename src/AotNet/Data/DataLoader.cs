using System.Collections;

namespace AotNet;

/// <summary>
/// Batches a <see cref="TensorDataset"/>, like PyTorch's <c>DataLoader</c>: optionally shuffled
/// afresh each epoch from a seedable <see cref="Rng"/>, and with the last short batch kept
/// unless <c>dropLast</c>. Each <c>foreach</c> over the loader is one epoch.
/// </summary>
/// <remarks>
/// To allocate nothing per batch, the loader copies each batch into one reused tensor and one
/// reused <see cref="Labels"/> (two of each when the last batch is shorter). A batch is only
/// valid until the next one; clone it to keep it. Starting a new epoch invalidates an epoch
/// still in progress, which then throws rather than yield overwritten data.
/// </remarks>
public sealed class DataLoader : IEnumerable<Batch>
{
    readonly Rng? _generator;
    readonly int[] _order;
    readonly Batch _full;
    readonly Batch _last;
    int _epoch;
    (ulong, ulong, ulong, ulong) _epochStartState;

    /// <summary>
    /// A loader of <paramref name="batchSize"/> samples per batch. With <paramref name="shuffle"/>,
    /// each epoch draws a new order from <paramref name="generator"/>, or from
    /// <see cref="Rng.Default"/> when none is given; the same seed gives the same orders.
    /// <paramref name="transform"/>, such as <see cref="Normalize"/>, rewrites each batch in its
    /// buffer after the copy; the dataset itself is left as it is.
    /// </summary>
    public DataLoader(TensorDataset dataset, int batchSize, bool shuffle = false, bool dropLast = false, Rng? generator = null, IBatchTransform? transform = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        _generator = generator;
        Transform = transform;
        _order = new int[dataset.Count];

        int lastSize = dataset.Count % batchSize;
        _full = dataset.Count >= batchSize ? NewBatch(batchSize) : default;
        _last = lastSize != 0 && !dropLast ? NewBatch(lastSize) : default;
        Count = dataset.Count / batchSize + (_last.X is null ? 0 : 1);
    }

    /// <summary>The dataset being batched.</summary>
    public TensorDataset Dataset { get; }

    /// <summary>The samples per batch; the last batch may be shorter unless <see cref="DropLast"/>.</summary>
    public int BatchSize { get; }

    /// <summary>True when each epoch visits the samples in a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>True when a last batch shorter than <see cref="BatchSize"/> is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>The number of batches per epoch, like <c>len(loader)</c>.</summary>
    public int Count { get; }

    /// <summary>The transform applied to each batch's inputs, or null.</summary>
    public IBatchTransform? Transform { get; }

    /// <summary>The generator that shuffles: the one given to the constructor, else <see cref="Rng.Default"/> as it is now.</summary>
    public Rng Generator => _generator ?? Rng.Default;

    /// <summary>
    /// The <see cref="Generator"/>'s state just before the latest epoch drew its order. Saved
    /// with a checkpoint, it lets <see cref="ResumeEpoch"/> redraw the same order. Before the first
    /// epoch it is the generator's current state, from which that epoch will draw.
    /// </summary>
    public (ulong, ulong, ulong, ulong) EpochStartState => _epoch == 0 ? Generator.State : _epochStartState;

    /// <summary>Starts an epoch: fixes its sample order and returns an enumerator over its batches.</summary>
    public Enumerator GetEnumerator()
    {
        StartEpoch();
        return new Enumerator(this, _epoch, 0);
    }

    /// <summary>
    /// Replays an interrupted epoch: sets <see cref="Generator"/> to <paramref name="epochStartState"/>
    /// (a saved <see cref="EpochStartState"/>), draws the same order as that epoch did, and skips its
    /// first <paramref name="batchIndex"/> batches without copying them. Afterwards the generator is
    /// where it was after the original epoch's draw, so later epochs repeat too. Use the result in
    /// <c>foreach</c> like the loader itself.
    /// </summary>
    /// <remarks>
    /// When the loader shuffles with <see cref="Rng.Default"/> and other code also draws from it,
    /// restore <see cref="Rng.Default"/>'s own saved state after calling this.
    /// </remarks>
    public Enumerator ResumeEpoch((ulong, ulong, ulong, ulong) epochStartState, int batchIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchIndex, Count);
        Generator.State = epochStartState;
        StartEpoch();
        return new Enumerator(this, _epoch, Math.Min(batchIndex * BatchSize, _order.Length));
    }

    void StartEpoch()
    {
        _epoch++;
        _epochStartState = Generator.State;
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }
        if (Shuffle)
        {
            Generator.Shuffle(_order.AsSpan());
        }
    }

    IEnumerator<Batch> IEnumerable<Batch>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    Batch NewBatch(int size)
    {
        int[] shape = [size, .. Dataset.SampleShape];
        return new Batch(new Tensor(shape), new Labels(new int[size]));
    }

    void Fill(Batch batch, int start)
    {
        int sampleLength = Dataset.SampleLength;
        ReadOnlySpan<float> inputs = Dataset.Inputs.Span;
        ReadOnlySpan<int> targets = Dataset.Targets.Span;
        var x = batch.X.Span;
        var y = batch.Y.Span;
        for (int row = 0; row < y.Length; row++)
        {
            int sample = _order[start + row];
            inputs.Slice(sample * sampleLength, sampleLength).CopyTo(x.Slice(row * sampleLength, sampleLength));
            y[row] = targets[sample];
        }
        Transform?.Apply(batch.X);
    }

    /// <summary>The batches of one epoch. A struct, so iterating allocates nothing.</summary>
    public struct Enumerator : IEnumerator<Batch>
    {
        readonly DataLoader _loader;
        readonly int _epoch;
        int _next;

        internal Enumerator(DataLoader loader, int epoch, int next)
        {
            _loader = loader;
            _epoch = epoch;
            _next = next;
            Current = default;
        }

        /// <summary>
        /// The batches of this epoch taken so far (skipped ones included), so the index of the
        /// next batch; save it as the position within the epoch for <see cref="DataLoader.ResumeEpoch"/>.
        /// <c>foreach</c> hides its enumerator, so read this from a <see cref="MoveNext"/> loop, or count batches instead.
        /// </summary>
        public readonly int BatchIndex => Math.Min((_next + _loader.BatchSize - 1) / _loader.BatchSize, _loader.Count);

        /// <summary>Returns this enumerator, so a resumed epoch can be used in <c>foreach</c>.</summary>
        public readonly Enumerator GetEnumerator() => this;

        /// <summary>The current batch, valid until the next call to <see cref="MoveNext"/>.</summary>
        public Batch Current { readonly get; private set; }

        readonly object IEnumerator.Current => Current;

        /// <summary>Copies the next batch into the loader's buffers; false at the end of the epoch.</summary>
        public bool MoveNext()
        {
            if (_loader._epoch != _epoch)
            {
                throw new InvalidOperationException(
                    "The loader started another epoch, which reuses the same batch buffers; this enumeration cannot continue.");
            }
            int remaining = _loader._order.Length - _next;
            Batch batch = remaining >= _loader.BatchSize ? _loader._full : remaining > 0 ? _loader._last : default;
            if (batch.X is null)
            {
                Current = default;
                _next = _loader._order.Length;
                return false;
            }
            _loader.Fill(batch, _next);
            _next += batch.Count;
            Current = batch;
            return true;
        }

        /// <summary>Not supported: start a new epoch with <see cref="DataLoader.GetEnumerator"/> instead.</summary>
        public readonly void Reset() => throw new NotSupportedException("Start a new epoch with DataLoader.GetEnumerator().");

        /// <summary>Nothing to release.</summary>
        public readonly void Dispose()
        {
        }
    }
}
