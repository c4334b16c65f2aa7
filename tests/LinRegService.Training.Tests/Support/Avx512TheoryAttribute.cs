using System.Runtime.Intrinsics;

namespace LinRegService.Training.Tests.Support;

/// <summary>A theory about a path only AVX-512 machines take: reported as skipped, with the reason, elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class Avx512TheoryAttribute : TheoryAttribute
{
    public Avx512TheoryAttribute()
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            Skip = "Needs AVX-512: Vector512 is not hardware accelerated on this machine, so nothing takes the fixed-width path.";
        }
    }
}
