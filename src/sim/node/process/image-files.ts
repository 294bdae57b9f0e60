import type { CatalogImage, ImageVariant } from '../images/catalog.js';

/**
 * The files an image brings, beyond the directories every Linux image has: who the users
 * are (`id`, `ls -l` read them), what the distribution is, and the files its program serves
 * or reads. Busybox-based images and Debian-based ones differ as the real ones do.
 */

const BUSYBOX_PASSWD =
  'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n';
const BUSYBOX_GROUP =
  'root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nlp:x:7:\nmail:x:8:\nkmem:x:9:\nwheel:x:10:root\ncdrom:x:11:\ndialout:x:18:\nfloppy:x:19:\nvideo:x:28:\naudio:x:29:\ntape:x:32:\nwww-data:x:33:\noperator:x:37:\nutmp:x:43:\nplugdev:x:46:\nstaff:x:50:\nlock:x:54:\nnetdev:x:82:\nusers:x:100:\nnobody:x:65534:\n';
const DEBIAN_PASSWD =
  'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nnginx:x:101:101:nginx user:/nonexistent:/bin/false\n';
const DEBIAN_GROUP =
  'root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nwww-data:x:33:\nstaff:x:50:\nusers:x:100:\nnogroup:x:65534:\nnginx:x:101:\n';

const NGINX_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>
</body>
</html>
`;

const NGINX_DEFAULT_CONF = `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }
}
`;

export function imageFiles(image: CatalogImage, variant: ImageVariant): Record<string, string> {
  const debian = variant.shell === 'dash';
  const files: Record<string, string> = {
    '/etc/passwd': debian ? DEBIAN_PASSWD : BUSYBOX_PASSWD,
    '/etc/group': debian ? DEBIAN_GROUP : BUSYBOX_GROUP,
  };
  if (debian)
    files['/etc/os-release'] =
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\n';
  else if (variant.shell === 'busybox' && !image.repository.endsWith('/busybox'))
    files['/etc/os-release'] =
      'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.21.3\nPRETTY_NAME="Alpine Linux v3.21"\n';
  if (image.programs.nginx) {
    files['/usr/share/nginx/html/index.html'] = NGINX_INDEX;
    files['/etc/nginx/conf.d/default.conf'] = NGINX_DEFAULT_CONF;
    files['/etc/nginx/nginx.conf'] =
      'user  nginx;\nworker_processes  auto;\n\nerror_log  /var/log/nginx/error.log notice;\npid        /run/nginx.pid;\n\nevents {\n    worker_connections  1024;\n}\n\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n}\n';
    files['/var/log/nginx/access.log'] = '';
    files['/var/log/nginx/error.log'] = '';
  }
  return files;
}
