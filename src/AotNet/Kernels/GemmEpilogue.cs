using System.Runtime.CompilerServices;

namespace AotNet.Kernels;

/// <summary>
/// The scalar epilogue used where a vector store would overrun C: edge tiles (fewer than Mr rows
/// or Nr columns left) and the scalar kernel.
/// </summary>
static unsafe class GemmEpilogue
{
    /// <summary>Writes the top-left rows×cols of an accumulated tile to C with beta, bias and ReLU.</summary>
    // Hot from the first call: skip tier-0 code, which runs these loops many times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void StoreTile(float* tile, nint ldTile, float* c, nint ldc, int rows, int cols, float beta, bool loadC, float* bias, bool relu)
    {
        for (int i = 0; i < rows; i++)
        {
            float* source = tile + i * ldTile;
            float* row = c + i * ldc;
            for (int j = 0; j < cols; j++)
            {
                float value = source[j];
                if (loadC)
                {
                    value += beta * row[j];
                }
                if (bias != null)
                {
                    value += bias[j];
                }
                // Written as a comparison, not MathF.Max, so NaN passes through as in the vector path.
                row[j] = relu && value < 0f ? 0f : value;
            }
        }
    }

    /// <summary>C = act(beta·C + bias) for k = 0, where the product is empty.</summary>
    public static void ApplyWithoutProduct(in GemmProblem problem)
    {
        for (int i = 0; i < problem.M; i++)
        {
            float* row = problem.C + (nint)i * problem.N;
            for (int j = 0; j < problem.N; j++)
            {
                float value = problem.Beta == 0f ? 0f : problem.Beta * row[j];
                if (problem.Bias != null)
                {
                    value += problem.Bias[j];
                }
                row[j] = problem.Relu && value < 0f ? 0f : value;
            }
        }
    }
}
