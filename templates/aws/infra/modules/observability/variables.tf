variable "name" {
  description = "Name prefix, e.g. churn-predictor-prod."
  type        = string
}

variable "project" {
  description = "Value of the Project cost allocation tag the budget filters on."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed key for the alarm topic."
  type        = string
}


variable "alarm_email" {
  description = "Email address subscribed to the alarm topic and the budget alerts (empty: subscribe later)."
  type        = string
  default     = ""
}

variable "alb_alarms" {
  description = "Create the load balancer alarms (5xx rate, p95 latency, healthy targets)."
  type        = bool
  default     = true
}

variable "alb_arn_suffix" {
  description = "arn_suffix of the load balancer the alarms watch."
  type        = string
  default     = ""
}

variable "target_group_arn_suffix" {
  description = "arn_suffix of the target group the alarms watch."
  type        = string
  default     = ""
}

variable "latency_p95_threshold_seconds" {
  description = "Alarm when the p95 target response time stays above this many seconds."
  type        = number
}

variable "error_rate_threshold_percent" {
  description = "Alarm when 5xx responses exceed this share of requests."
  type        = number
  default     = 5
}

variable "monthly_budget_usd" {
  description = "Monthly cost budget of the project in USD (0: no budget from this root)."
  type        = number
  default     = 0
}
