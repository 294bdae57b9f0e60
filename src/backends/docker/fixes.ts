/**
 * The commands that install, start and open up Docker on each platform, so every "Docker is
 * missing" message ends with the exact thing to type.
 */
export interface DockerFixes {
  install: string;
  start: string;
  permission: string;
  /** Where to give Docker more memory and CPUs (a setting on Docker Desktop, not a command). */
  resources: string;
}

export function dockerFixes(platform: NodeJS.Platform = process.platform): DockerFixes {
  switch (platform) {
    case 'darwin':
      return {
        install: 'brew install --cask docker && open -a Docker',
        start: 'open -a Docker',
        permission: 'open -a Docker (Docker Desktop sets up the socket for your user)',
        resources:
          'Docker Desktop → Settings → Resources: give it 4 CPUs and 8 GB of memory, then Apply & restart',
      };
    case 'win32':
      return {
        install: 'winget install -e --id Docker.DockerDesktop',
        start: 'Start-Process "$Env:ProgramFiles\\Docker\\Docker\\Docker Desktop.exe"',
        permission: 'Add-LocalGroupMember -Group docker-users -Member $Env:USERNAME (then sign out and in)',
        resources:
          'Docker Desktop → Settings → Resources (with WSL 2: set memory=8GB and processors=4 in %UserProfile%\\.wslconfig, then wsl --shutdown)',
      };
    default:
      return {
        install: 'sudo apt-get install -y docker.io && sudo systemctl enable --now docker',
        start: 'sudo systemctl start docker',
        permission: 'sudo usermod -aG docker $USER && newgrp docker',
        resources: 'Docker on Linux uses all of the machine; close other programs or use a bigger machine',
      };
  }
}
