variable "name" {
  description = "Endpoint name (what the API reads from SAGEMAKER_ENDPOINT_NAME), e.g. churn-predictor-prod; also the prefix of the other resources."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", var.name))
    error_message = "name must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "image_uri" {
  description = "Inference container image in Amazon ECR (SageMaker pulls only from ECR), e.g. a SageMaker prebuilt framework image or your own; it must answer /ping and /invocations on port 8080."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[^:@]+[:@].+$", var.image_uri))
    error_message = "image_uri must be an Amazon ECR image with a tag or digest: ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY:TAG."
  }
}

variable "model_data_key" {
  description = "Key of the model artefact (model.tar.gz) in the model bucket, under model_prefix; empty: the image carries the model."
  type        = string
  default     = ""
}

variable "container_environment" {
  description = "Environment variables of the inference container."
  type        = map(string)
  default     = {}
}

variable "model_bucket_arn" {
  description = "Bucket of the model artefacts (and of the data capture, under data_capture_prefix)."
  type        = string
}

variable "model_prefix" {
  description = "Key prefix the endpoint may read model artefacts from (ends with /)."
  type        = string
  default     = "models/"
}

variable "kms_key_arn" {
  description = "Customer managed key: ML storage volume, data capture and the endpoint's log group."
  type        = string
}

variable "instance_type" {
  description = "ML instance type of the production variant (sized by deploy-wizard from the model size and GPU need)."
  type        = string
}

variable "min_instances" {
  description = "Minimum number of instances (two or more spread the endpoint over availability zones)."
  type        = number
  default     = 1

  validation {
    condition     = var.min_instances >= 1
    error_message = "A real-time endpoint keeps at least one instance."
  }
}

variable "max_instances" {
  description = "Auto scaling ceiling."
  type        = number
  default     = 2
}

variable "invocations_per_instance_per_minute" {
  description = "Target of the SageMakerVariantInvocationsPerInstance scaling policy (invocations per instance per minute)."
  type        = number
}

variable "network_isolation" {
  description = "Run the model container without any network access (it still gets its artefact from S3); turn off only for a container that must call out."
  type        = bool
  default     = true
}

variable "subnet_ids" {
  description = "Private subnets for the model's network interfaces (empty: SageMaker's own network). Confidential and regulated data set them."
  type        = list(string)
  default     = []
}

variable "security_group_ids" {
  description = "Security groups of those network interfaces (HTTPS out to S3 for the model artefact); required with subnet_ids."
  type        = list(string)
  default     = []
}

variable "data_capture" {
  description = "Capture a sample of requests and responses to S3 (for model monitoring); only for data that may be kept."
  type        = bool
  default     = false
}

variable "data_capture_prefix" {
  description = "Key prefix of the captured data in the model bucket (ends with /)."
  type        = string
  default     = "data-capture/"
}

variable "data_capture_sampling_percent" {
  description = "Share of requests captured."
  type        = number
  default     = 20
}

variable "log_retention_days" {
  description = "Retention of the endpoint's log group."
  type        = number
}

variable "alarm_topic_arn" {
  description = "SNS topic for the endpoint alarms (empty: no alarms)."
  type        = string
  default     = ""
}

variable "model_latency_p95_threshold_ms" {
  description = "Alarm when the p95 model latency stays above this many milliseconds."
  type        = number
  default     = 500
}
