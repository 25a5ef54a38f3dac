resource "aws_s3_bucket" "scratch" {
  bucket = "acme-scratch"
}

resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"
}

resource "aws_s3_bucket" "downloads" {
  bucket = "acme-downloads"
}
