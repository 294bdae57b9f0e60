/**
 * `/etc/cni/net.d` on a kind node: the config kindnetd writes (`10-kindnet.conflist`, from
 * kind's `images/kindnetd/cmd/kindnetd/cni.go` template: ptp + host-local IPAM over the node's
 * pod CIDR + portmap, MTU of the node's eth0) and the bridge config the CRI-O package ships
 * disabled.
 */
export function kindnetConflist(podCIDR: string): string {
  return `
{
	"cniVersion": "0.3.1",
	"name": "kindnet",
	"plugins": [
	{
		"type": "ptp",
		"ipMasq": false,
		"ipam": {
			"type": "host-local",
			"dataDir": "/run/cni-ipam-state",
			"routes": [
				
				
				{ "dst": "0.0.0.0/0" }
			],
			"ranges": [
				
				
				[ { "subnet": "${podCIDR}" } ]
			]
		}
		,
		"mtu": 1500
		
	},
	{
		"type": "portmap",
		"capabilities": {
			"portMappings": true
		}
	}
	]
}
`;
}

const CRIO_BRIDGE = `{
  "cniVersion": "1.0.0",
  "name": "crio",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "routes": [
            { "dst": "0.0.0.0/0" }
        ],
        "ranges": [
            [{ "subnet": "10.85.0.0/16" }]
        ]
      }
    }
  ]
}
`;

export function cniFiles(podCIDR: string | undefined): Map<string, string> {
  const files = new Map<string, string>();
  if (podCIDR) files.set('10-kindnet.conflist', kindnetConflist(podCIDR));
  files.set('10-crio-bridge.conflist.disabled', CRIO_BRIDGE);
  return files;
}
