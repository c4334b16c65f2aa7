using System.Text.Json;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Jobs;
using LinRegService.Training.Data;
using LinRegService.Training.Validation;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinRegService.OpenApi;

/// <summary>
/// The request fields' bounds, read from the settings the validator checks against
/// (<see cref="JobsOptions"/> and its <see cref="TrainingLimits"/>), and the book's run as each
/// field's example, so Swagger UI shows real values instead of zeros. Bounds that depend on other
/// fields (batchSize ≤ examples, examples × features) stay in the descriptions.
/// </summary>
internal sealed class RequestFieldsFilter(IOptions<JobsOptions> options) : ISchemaFilter
{
    /// <summary>The book's run with the seeds the examples use.</summary>
    public const long BookDatasetSeed = 42;
    public const long BookTrainingSeed = 7;

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties: { } properties } || context.MemberInfo is not null)
        {
            return;
        }
        JobsOptions settings = options.Value;
        TrainingLimits limits = settings.Limits;
        OpenApiSchema Field(string name) => (OpenApiSchema)properties[JsonNamingPolicy.CamelCase.ConvertName(name)];
        double maxSeed = JobRequestResolver.MaxSeed - 1;

        if (context.Type == typeof(JobRequest))
        {
            Field(nameof(JobRequest.SampleCount)).Range(0, settings.MaxSampleCount).Example(BookDefaults.SampleCount);
        }
        else if (context.Type == typeof(DatasetRequest))
        {
            Field(nameof(DatasetRequest.Weights)).Items(1, limits.MaxFeatures).Example(new JsonArray([.. BookDefaults.Weights.Select(w => JsonValue.Create(w))]));
            Field(nameof(DatasetRequest.Bias)).Example(BookDefaults.Bias);
            Field(nameof(DatasetRequest.Examples)).Range(1, limits.MaxExamples).Example(BookDefaults.Examples);
            Field(nameof(DatasetRequest.NoiseStd)).Range(minimum: 0).Example(BookDefaults.NoiseStd);
            Field(nameof(DatasetRequest.FeatureStd)).Above(0).Example(BookDefaults.FeatureStd);
            Field(nameof(DatasetRequest.Seed)).Range(0, maxSeed).Example(BookDatasetSeed);
            Field(nameof(DatasetRequest.Order)).Example("generated");
        }
        else if (context.Type == typeof(OutliersRequest))
        {
            // The example is the chapter's exercise: y[5] = 10000.
            Field(nameof(OutliersRequest.Rows)).Items(0, DatasetOutliers.MaxRows).Example(new JsonArray(5));
            Field(nameof(OutliersRequest.Label)).Example(10000);
            Field(nameof(OutliersRequest.Fraction)).Range(0, 1).Example(0.01);
            Field(nameof(OutliersRequest.Shift)).Example(100);
        }
        else if (context.Type == typeof(TrainingRequest))
        {
            Field(nameof(TrainingRequest.LearningRate)).Above(0).Example(BookDefaults.LearningRate);
            Field(nameof(TrainingRequest.BatchSize)).Range(minimum: 1).Example(BookDefaults.BatchSize);
            Field(nameof(TrainingRequest.Epochs)).Range(1, limits.MaxEpochs).Example(BookDefaults.Epochs);
            Field(nameof(TrainingRequest.InitStd)).Range(minimum: 0).Example(BookDefaults.InitStd);
            Field(nameof(TrainingRequest.Seed)).Range(0, maxSeed).Example(BookTrainingSeed);
            Field(nameof(TrainingRequest.MaxRuntimeSeconds)).Range(JobRequestResolver.MinRuntimeSeconds, settings.MaxRuntime.TotalSeconds)
                .Example(settings.MaxRuntime.TotalSeconds);
            Field(nameof(TrainingRequest.Loss)).Example("squared");
            Field(nameof(TrainingRequest.HuberDelta)).Above(0).Example(BookDefaults.HuberDelta);
            Field(nameof(TrainingRequest.Shuffle)).Example(true);
            Field(nameof(TrainingRequest.Schedule)).Example("constant");
            Field(nameof(TrainingRequest.DecayPower)).Range(minimum: 0).Example(BookDefaults.DecayPower);
            Field(nameof(TrainingRequest.DecayEvery)).Range(minimum: 1).Example(BookDefaults.DecayEvery);
            Field(nameof(TrainingRequest.DecayFactor)).Above(0).Range(maximum: 1).Example(BookDefaults.DecayFactor);
            Field(nameof(TrainingRequest.Tolerance)).Range(minimum: 0).Example(0.0001);
            Field(nameof(TrainingRequest.Patience)).Range(minimum: 1).Example(BookDefaults.Patience);
            Field(nameof(TrainingRequest.Standardize)).Example(false);
        }
    }
}
