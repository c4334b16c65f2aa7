using System.Text.Json;
using System.Text.Json.Nodes;
using LinRegService.Contracts;
using LinRegService.Jobs;
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
        }
    }
}
