using System.Runtime.Intrinsics;
using AotNet.Kernels;

namespace AotNet;

/// <summary>
/// SGD with momentum in one sweep: <c>g = grad + wd·p; buf = momentum·buf + (1 − dampening)·g;
/// p −= lr·buf</c>. Done as four separate vector passes, the update reads and writes every array
/// several times and costs a third of a W1 training step; fused, it touches each element once,
/// and large parameters are split across the worker threads. The arithmetic is the same
/// multiply-then-add sequence as the separate passes, so results do not change.
/// </summary>
static unsafe class SgdMomentumKernel
{
    /// <summary>Below this many elements one thread finishes before a hand-off would.</summary>
    const int ParallelThreshold = 1 << 15;

    struct Job
    {
        public float* Value;
        public float* Gradient;
        public float* Buffer;
        public int Length;
        public float WeightDecay;
        public float Momentum;
        public float GradientScale;
        public float NegativeLearningRate;
    }

    /// <summary>
    /// One step; the hyperparameters are the doubles given, and each is rounded to float32 once,
    /// after <c>1 − dampening</c> is formed in double as PyTorch forms it.
    /// </summary>
    public static void Step(Span<float> value, ReadOnlySpan<float> gradient, Span<float> buffer, double lr, double weightDecay, double momentum, double dampening)
    {
        fixed (float* pValue = value)
        fixed (float* pGradient = gradient)
        fixed (float* pBuffer = buffer)
        {
            var job = new Job
            {
                Value = pValue,
                Gradient = pGradient,
                Buffer = pBuffer,
                Length = value.Length,
                WeightDecay = (float)weightDecay,
                Momentum = (float)momentum,
                GradientScale = (float)(1.0 - dampening),
                NegativeLearningRate = (float)-lr,
            };
            if (value.Length < ParallelThreshold)
            {
                Run(&job, 0, 1);
            }
            else
            {
                WorkerPool.Run(&Run, &job, WorkerPool.ThreadCount);
            }
        }
    }

    static void Run(void* state, int chunk, int chunks)
    {
        ref readonly Job job = ref *(Job*)state;
        int start = (int)((long)job.Length * chunk / chunks);
        int end = (int)((long)job.Length * (chunk + 1) / chunks);
        float* p = job.Value;
        float* g = job.Gradient;
        float* b = job.Buffer;
        int i = start;
        if (Vector256.IsHardwareAccelerated)
        {
            var decay = Vector256.Create(job.WeightDecay);
            var momentum = Vector256.Create(job.Momentum);
            var scale = Vector256.Create(job.GradientScale);
            var step = Vector256.Create(job.NegativeLearningRate);
            for (; i <= end - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var pv = Vector256.Load(p + i);
                var gv = pv * decay + Vector256.Load(g + i);
                var bv = gv * scale + Vector256.Load(b + i) * momentum;
                bv.Store(b + i);
                (bv * step + pv).Store(p + i);
            }
        }
        for (; i < end; i++)
        {
            float gs = p[i] * job.WeightDecay + g[i];
            float bs = gs * job.GradientScale + b[i] * job.Momentum;
            b[i] = bs;
            p[i] = bs * job.NegativeLearningRate + p[i];
        }
    }
}
