# A SageMaker real-time endpoint for the model: the model (container + artefact), an endpoint configuration
# (KMS-encrypted storage, optional data capture), the endpoint, target-tracking auto scaling and alarms.
# The API calls it through sagemaker-runtime InvokeEndpoint with IAM (SigV4); it is never public.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  partition  = data.aws_partition.current.partition

  bucket_name    = element(split(":::", var.model_bucket_arn), 1)
  model_data_url = var.model_data_key == "" ? null : "s3://${local.bucket_name}/${var.model_data_key}"
  capture_uri    = "s3://${local.bucket_name}/${var.data_capture_prefix}${var.name}"
  variant_name   = "primary"
  in_vpc         = length(var.subnet_ids) > 0

  # The image's repository, so the execution role can pull that repository and no other.
  image_parts          = regex("^([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/([^:@]+)", var.image_uri)
  image_repository_arn = "arn:${local.partition}:ecr:${local.image_parts[1]}:${local.image_parts[0]}:repository/${local.image_parts[2]}"

  # Instance families with local NVMe storage: SageMaker rejects a KMS key for them (that storage is
  # hardware-encrypted with AES-256 by the Nitro system instead).
  local_storage = can(regex("^ml\\.(g4dn|g5|g6|g6e|gr6|p3dn|p4d|p4de|p5|p5e|p5en|m5d|c5d|r5d|m6id|c6id|r6id|trn1|trn1n)\\.", var.instance_type))

  # Endpoint configuration names are at most 63 characters, 26 of which the provider appends.
  config_prefix = "${trimsuffix(substr(var.name, 0, 36), "-")}-"
}

# SageMaker would create this log group itself, unencrypted and kept forever; creating it first sets both.
module "log_group" {
  source = "../log_group"

  name              = "/aws/sagemaker/Endpoints/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_arn       = var.kms_key_arn
}

resource "aws_sagemaker_model" "this" {
  execution_role_arn       = aws_iam_role.execution.arn
  enable_network_isolation = var.network_isolation

  primary_container {
    image          = var.image_uri
    model_data_url = local.model_data_url
    environment    = var.container_environment
  }

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [1] : []

    content {
      subnets            = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }

  lifecycle {
    # A new image or artefact is a new model; the endpoint switches to it before the old one goes.
    create_before_destroy = true

    precondition {
      condition     = !local.in_vpc || length(var.security_group_ids) > 0
      error_message = "security_group_ids are required with subnet_ids."
    }
  }

  depends_on = [aws_iam_role_policy.execution, module.log_group]
}

resource "aws_sagemaker_endpoint_configuration" "this" {
  name_prefix = local.config_prefix
  kms_key_arn = local.local_storage ? null : var.kms_key_arn

  production_variants {
    variant_name           = local.variant_name
    model_name             = aws_sagemaker_model.this.name
    instance_type          = var.instance_type
    initial_instance_count = var.min_instances
  }

  dynamic "data_capture_config" {
    for_each = var.data_capture ? [1] : []

    content {
      enable_capture              = true
      initial_sampling_percentage = var.data_capture_sampling_percent
      destination_s3_uri          = local.capture_uri
      kms_key_id                  = var.kms_key_arn

      capture_options {
        capture_mode = "Input"
      }

      capture_options {
        capture_mode = "Output"
      }

      capture_content_type_header {
        json_content_types = ["application/json"]
      }
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint" "this" {
  name                 = var.name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this.name
}

# --- auto scaling on invocations per instance ------------------------------------------------------

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "sagemaker"
  resource_id        = "endpoint/${aws_sagemaker_endpoint.this.name}/variant/${local.variant_name}"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  min_capacity       = var.min_instances
  max_capacity       = max(var.min_instances, var.max_instances)
}

resource "aws_appautoscaling_policy" "invocations" {
  name               = "${var.name}-invocations"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.invocations_per_instance_per_minute
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
    }
  }
}

# --- alarms ----------------------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "errors" {
  count = var.alarm_topic_arn == "" ? 0 : 1

  alarm_name          = "${var.name}-model-5xx"
  alarm_description   = "The model endpoint answered 5xx errors in 3 of 5 minutes."
  namespace           = "AWS/SageMaker"
  metric_name         = "Invocation5XXErrors"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]

  dimensions = {
    EndpointName = aws_sagemaker_endpoint.this.name
    VariantName  = local.variant_name
  }
}

resource "aws_cloudwatch_metric_alarm" "latency_p95" {
  count = var.alarm_topic_arn == "" ? 0 : 1

  alarm_name          = "${var.name}-model-latency-p95"
  alarm_description   = "p95 model latency above ${var.model_latency_p95_threshold_ms} ms for 3 of 5 minutes."
  namespace           = "AWS/SageMaker"
  metric_name         = "ModelLatency"
  extended_statistic  = "p95"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  # ModelLatency is reported in microseconds.
  threshold          = var.model_latency_p95_threshold_ms * 1000
  treat_missing_data = "notBreaching"
  alarm_actions      = [var.alarm_topic_arn]
  ok_actions         = [var.alarm_topic_arn]

  dimensions = {
    EndpointName = aws_sagemaker_endpoint.this.name
    VariantName  = local.variant_name
  }
}
