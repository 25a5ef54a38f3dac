# Adapted from TerraGoat (bridgecrewio/terragoat, terraform/aws/ec2.tf, Apache-2.0): deliberately misconfigured.

resource "aws_instance" "web_host" {
  # instance metadata service v1 is enabled
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t2.nano"
  subnet_id     = "subnet-0a1b2c3d"
  tags = {
    Name = "acme-ec2"
  }
}
