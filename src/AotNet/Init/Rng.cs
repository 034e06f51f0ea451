namespace AotNet;

/// <summary>
/// A small, fast, seedable random generator (xoshiro256**). Same seed, same sequence, on every
/// machine, so initialisation and shuffling are reproducible.
/// </summary>
public sealed class Rng
{
    ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator whose sequence is fixed by <paramref name="seed"/>.</summary>
    public Rng(ulong seed)
    {
        // SplitMix64 spreads a small seed over the whole 256-bit state.
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The generator used when a layer or loader is given none. Reseed it with <see cref="ManualSeed"/>.</summary>
    public static Rng Default { get; private set; } = new(0);

    /// <summary>Replaces <see cref="Default"/> with a generator seeded by <paramref name="seed"/>, like <c>torch.manual_seed</c>.</summary>
    public static void ManualSeed(ulong seed) => Default = new Rng(seed);

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A float uniformly distributed in [0, 1), with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A double uniformly distributed in [0, 1), with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A float uniformly distributed in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public float Uniform(float low, float high) => low + (high - low) * NextFloat();

    /// <summary>A standard normal sample (Box–Muller).</summary>
    public float Normal()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    /// <summary>An integer uniformly distributed in [0, <paramref name="exclusiveMax"/>), without modulo bias.</summary>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        ulong bound = (ulong)exclusiveMax;
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong value;
        do
        {
            value = NextUInt64();
        }
        while (value >= limit);
        return (int)(value % bound);
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>The internal state, for checkpoints that resume bit-identically.</summary>
    /// <exception cref="ArgumentException">The value is all zeros, which is not a state of this generator.</exception>
    public (ulong, ulong, ulong, ulong) State
    {
        get => (_s0, _s1, _s2, _s3);
        set
        {
            if (StateViolation(value) is { } fault)
            {
                throw new ArgumentException($"Invalid generator state: {fault}.", nameof(State));
            }
            (_s0, _s1, _s2, _s3) = value;
        }
    }

    /// <summary>Why <paramref name="state"/> cannot be a generator's state, or null when it can; checkpoints load states through the same rule.</summary>
    internal static string? StateViolation((ulong, ulong, ulong, ulong) state) =>
        state == default ? "all four words are zero, a state xoshiro256** never leaves (every draw would be 0)" : null;

    static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
