/**
 * The memcached-operator CRD (operator-sdk's tutorial, `cache.example.com/v1alpha1`) with the
 * status and scale subresources and printer columns, and a Memcached to go with it.
 */

export const MEMCACHED_CRD = 'memcacheds.cache.example.com';

export const memcachedCrdYaml = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: memcacheds.cache.example.com
  annotations:
    controller-gen.kubebuilder.io/version: v0.16.1
spec:
  group: cache.example.com
  names:
    kind: Memcached
    plural: memcacheds
    shortNames:
    - mc
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    storage: true
    additionalPrinterColumns:
    - name: Size
      type: integer
      jsonPath: .spec.size
    - name: Ready
      type: string
      jsonPath: .status.conditions[?(@.type=="Available")].status
    - name: Port
      type: integer
      jsonPath: .spec.containerPort
      priority: 1
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.size
        statusReplicasPath: .status.replicas
    schema:
      openAPIV3Schema:
        description: Memcached is the Schema for the memcacheds API
        type: object
        properties:
          apiVersion:
            type: string
          kind:
            type: string
          metadata:
            type: object
          spec:
            description: MemcachedSpec defines the desired state of Memcached
            type: object
            properties:
              size:
                description: Size defines the number of Memcached instances
                type: integer
                format: int32
                minimum: 1
                maximum: 3
              containerPort:
                type: integer
                format: int32
          status:
            type: object
            properties:
              replicas:
                type: integer
              conditions:
                type: array
                items:
                  type: object
                  required: [type, status]
                  properties:
                    type:
                      type: string
                    status:
                      type: string
                    reason:
                      type: string
                    message:
                      type: string
                    lastTransitionTime:
                      type: string
                      format: date-time
`;

export const memcachedYaml = (
  name: string,
  size: number,
  namespace = 'default',
) => `apiVersion: cache.example.com/v1alpha1
kind: Memcached
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  size: ${size}
  containerPort: 11211
`;
