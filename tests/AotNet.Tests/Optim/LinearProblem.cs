using AotNet.Tests.Support;

namespace AotNet.Tests.Optim;

/// <summary>
/// The fixtures' problem: y = x·Wᵀ + b, loss = Σ(y - t)² / (2n). Gradients are computed in double
/// from the float parameters, in the loop order of make_optim_fixtures.py, then rounded to float,
/// so any difference from PyTorch comes from the optimizer.
/// </summary>
sealed class LinearProblem(TensorData x, TensorData target)
{
    readonly int _n = x.Shape[0], _k = x.Shape[1], _m = target.Shape[1];
    readonly double[] _residual = new double[x.Shape[0] * target.Shape[1]];

    public void Gradients(Parameter weight, Parameter bias)
    {
        var w = weight.Value.Span;
        var b = bias.Value.Span;
        for (int i = 0; i < _n; i++)
        {
            for (int o = 0; o < _m; o++)
            {
                double sum = 0;
                for (int j = 0; j < _k; j++)
                {
                    sum += (double)x.Data[i * _k + j] * w[o * _k + j];
                }
                _residual[i * _m + o] = sum + b[o] - target.Data[i * _m + o];
            }
        }
        var gw = weight.Grad.Span;
        var gb = bias.Grad.Span;
        for (int o = 0; o < _m; o++)
        {
            for (int j = 0; j < _k; j++)
            {
                double sum = 0;
                for (int i = 0; i < _n; i++)
                {
                    sum += _residual[i * _m + o] * x.Data[i * _k + j];
                }
                gw[o * _k + j] = (float)(sum / _n);
            }
            double bsum = 0;
            for (int i = 0; i < _n; i++)
            {
                bsum += _residual[i * _m + o];
            }
            gb[o] = (float)(bsum / _n);
        }
    }
}
