# Adapted from TerraGoat (bridgecrewio/terragoat, terraform/aws/s3.tf, Apache-2.0): deliberately misconfigured.

resource "aws_s3_bucket" "data" {
  # bucket does not require TLS; every client already uses HTTPS
  bucket        = "acme-data"
  force_destroy = true
  tags = {
    Name        = "acme-data"
    Environment = "acme"
  }
}

resource "aws_s3_bucket" "scratch" {
  # bucket does not require TLS; it is empty
  bucket        = "acme-scratch"
  force_destroy = true
  tags = {
    Name        = "acme-scratch"
    Environment = "acme"
  }
}

resource "aws_s3_bucket" "downloads" {
  # bucket does not require TLS; an old client still downloads over plain HTTP
  bucket = "acme-downloads"
  tags = {
    Name        = "acme-downloads"
    Environment = "acme"
  }
}
